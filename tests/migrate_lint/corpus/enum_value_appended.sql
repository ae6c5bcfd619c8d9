-- expect: migrate/enum-value-position=notice

ALTER TYPE public.priority ADD VALUE IF NOT EXISTS 'urgent';
