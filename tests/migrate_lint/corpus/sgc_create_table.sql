-- expect-none: migrate/stored-generated-column

CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) STORED);
