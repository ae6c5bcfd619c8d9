-- expect-none: migrate/trigger-on-live-table

CREATE TABLE notes (id bigint, updated_at timestamptz);
CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
