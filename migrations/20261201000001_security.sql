-- Secrets the server generates for itself when the environment gives none (development only):
-- the access-token signing key, shared by every instance that uses this database.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
