-- expect-none: migrate/enum-value-position

ALTER TYPE public.priority ADD VALUE 'urgent' AFTER 'high';
ALTER TYPE public.priority ADD VALUE 'none' BEFORE 'low';
ALTER TYPE public.priority RENAME VALUE 'none' TO 'unset';
