-- expect-none: migrate/drop-table

CREATE TABLE tmp_import (line text);
DROP TABLE tmp_import;
