-- ons-delay journal, MariaDB 10.6+ and MySQL 8.0.1+ (SKIP LOCKED). Times are epoch milliseconds.

-- Sends made inside a transaction: written with it, sent to the broker after it commits.
CREATE TABLE IF NOT EXISTS ons_delay_outbox (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    producer         VARCHAR(255)  NOT NULL,
    topic            VARCHAR(255)  NOT NULL,
    tag              VARCHAR(255),
    business_key     VARCHAR(255)  NOT NULL,
    attempt          INT           NOT NULL,
    due_at           BIGINT        NOT NULL,
    first_sent_at    BIGINT        NOT NULL,
    delivery_lead_ms BIGINT        NOT NULL,
    send_timeout_ms  BIGINT        NOT NULL,
    body             LONGBLOB      NOT NULL,
    state            VARCHAR(16)   NOT NULL, -- PENDING, SENT, CANCELLED (withdrawn), RECALLED, PARKED
    created_at       BIGINT        NOT NULL,
    sent_at          BIGINT,
    message_id       VARCHAR(64),
    recall_handle    VARCHAR(1024),
    attempts         INT           NOT NULL DEFAULT 0, -- sends the broker refused; PARKED at mqs.ons.jdbc.relay-max-attempts
    last_error       VARCHAR(4000),
    parked_at        BIGINT,
    cancelled_at     BIGINT,       -- the database's time when a cancel of its key saw it
    INDEX ons_delay_outbox_state (state, id),
    INDEX ons_delay_outbox_key (producer, business_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Tombstones. A message sent through the outbox is cancelled when its row carries cancelled_at; any other
-- message of the key first sent (by its sender's clock) before cancelled_at (the database's clock) is too.
CREATE TABLE IF NOT EXISTS ons_delay_cancelled (
    producer     VARCHAR(255) NOT NULL,
    business_key VARCHAR(255) NOT NULL,
    cancelled_at BIGINT       NOT NULL,
    PRIMARY KEY (producer, business_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Attempts handled by idempotent listeners, written in the handler's transaction.
CREATE TABLE IF NOT EXISTS ons_delay_handled (
    consumer_group VARCHAR(255) NOT NULL,
    business_key   VARCHAR(255) NOT NULL,
    attempt        INT          NOT NULL,
    handled_at     BIGINT       NOT NULL,
    PRIMARY KEY (consumer_group, business_key, attempt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Exhausted messages, kept for operators to list and replay.
CREATE TABLE IF NOT EXISTS ons_delay_exhausted (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    consumer_group VARCHAR(255)  NOT NULL,
    producer       VARCHAR(255)  NOT NULL,
    topic          VARCHAR(255)  NOT NULL,
    tag            VARCHAR(255),
    business_key   VARCHAR(255)  NOT NULL,
    message_id     VARCHAR(64)   NOT NULL,
    attempt        INT           NOT NULL,
    first_sent_at  BIGINT        NOT NULL,
    reason         VARCHAR(32)   NOT NULL, -- RETRIES_EXHAUSTED, POISON
    last_error     VARCHAR(4000),
    body           LONGBLOB      NOT NULL,
    exhausted_at   BIGINT        NOT NULL,
    replay_count   INT           NOT NULL DEFAULT 0,
    replayed_at    BIGINT,
    CONSTRAINT ons_delay_exhausted_delivery UNIQUE (consumer_group, message_id),
    INDEX ons_delay_exhausted_time (exhausted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
