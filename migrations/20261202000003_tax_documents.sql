-- Czech tax documents: invoices (or simplified documents) of paid orders and credit notes of
-- refunds, numbered without gaps in yearly series (FV…, OD…). The particulars are frozen as
-- JSON when issued; the PDF is drawn from them. The access key makes the link in the e-mail
-- work without signing in.

CREATE TABLE tax_document_counters (
    series text NOT NULL,
    year   integer NOT NULL,
    last   integer NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE tax_documents (
    id          bigserial PRIMARY KEY,
    number      text NOT NULL UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('INVOICE', 'SIMPLIFIED', 'CREDIT_NOTE')),
    order_id    bigint NOT NULL REFERENCES orders (id),
    refund_id   bigint UNIQUE REFERENCES refunds (id),
    original_id bigint REFERENCES tax_documents (id),
    access_key  text NOT NULL,
    content     jsonb NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'CREDIT_NOTE') = (refund_id IS NOT NULL AND original_id IS NOT NULL))
);
CREATE UNIQUE INDEX tax_documents_one_per_order_idx ON tax_documents (order_id) WHERE kind <> 'CREDIT_NOTE';
CREATE INDEX tax_documents_order_idx ON tax_documents (order_id);
