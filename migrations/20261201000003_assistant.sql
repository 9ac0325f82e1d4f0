-- The shopping assistant: conversations owned by a customer or by a guest's cart, their
-- messages with the products they reference, and what the model cost.

CREATE TABLE assistant_conversations (
    id                uuid PRIMARY KEY,
    customer_id       bigint REFERENCES customers (id) ON DELETE CASCADE,
    cart_id           uuid,
    prompt_tokens     bigint NOT NULL DEFAULT 0,
    completion_tokens bigint NOT NULL DEFAULT 0,
    cost_usd          double precision NOT NULL DEFAULT 0,
    dropped_references integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (customer_id IS NOT NULL OR cart_id IS NOT NULL)
);
CREATE INDEX assistant_conversations_customer_idx ON assistant_conversations (customer_id, updated_at DESC);
CREATE INDEX assistant_conversations_cart_idx ON assistant_conversations (cart_id, updated_at DESC);

CREATE TABLE assistant_messages (
    id              bigserial PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES assistant_conversations (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('USER', 'ASSISTANT')),
    text            text NOT NULL,
    product_ids     bigint[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistant_messages_conversation_idx ON assistant_messages (conversation_id, id);
