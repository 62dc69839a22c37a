-- Dossier's server store on PostgreSQL: the same buckets of sealed keys and
-- values as its bbolt file, one row a pair. Keys and values are bytea, so
-- rows sort in byte order, as bbolt's do.
CREATE TABLE dossier_kv (
    bucket text  NOT NULL,
    k      bytea NOT NULL,
    v      bytea NOT NULL,
    PRIMARY KEY (bucket, k)
);

-- Each bucket's sequence (bbolt's NextSequence): the change feed numbers
-- its entries from here.
CREATE TABLE dossier_seq (
    bucket text   PRIMARY KEY,
    n      bigint NOT NULL
);

-- The one row every writing transaction locks first (SELECT … FOR UPDATE):
-- writers run one at a time, as on bbolt, so a change committed later never
-- carries an earlier sequence number than one already read (see README,
-- "dossierd on PostgreSQL").
CREATE TABLE dossier_writer (
    id int PRIMARY KEY
);
INSERT INTO dossier_writer (id) VALUES (1);
