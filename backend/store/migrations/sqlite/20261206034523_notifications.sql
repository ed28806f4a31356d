-- Create "notification_events" table
CREATE TABLE `notification_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `account_id` integer NOT NULL, `kind` text NOT NULL, `dedup_key` text NOT NULL, `digested_at` datetime NULL);
-- Set sequence for "notification_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notification_events", 137438953472);
-- Create index "notification_events_dedup_key_key" to table: "notification_events"
CREATE UNIQUE INDEX `notification_events_dedup_key_key` ON `notification_events` (`dedup_key`);
-- Create index "notificationevent_digested_at_account_id" to table: "notification_events"
CREATE INDEX `notificationevent_digested_at_account_id` ON `notification_events` (`digested_at`, `account_id`);
-- Create "notification_subscriptions" table
CREATE TABLE `notification_subscriptions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `account_id` integer NOT NULL, `kind` text NOT NULL, `mode` text NOT NULL);
-- Set sequence for "notification_subscriptions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notification_subscriptions", 141733920768);
-- Create index "notificationsubscription_account_id_kind" to table: "notification_subscriptions"
CREATE UNIQUE INDEX `notificationsubscription_account_id_kind` ON `notification_subscriptions` (`account_id`, `kind`);
-- Create "outbox_messages" table
CREATE TABLE `outbox_messages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `account_id` integer NOT NULL, `email` text NOT NULL, `template` text NOT NULL, `link` text NULL, `counts` json NULL, `dedup_key` text NOT NULL, `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `sent_at` datetime NULL, `last_error` text NULL);
-- Set sequence for "outbox_messages" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("outbox_messages", 146028888064);
-- Create index "outbox_messages_dedup_key_key" to table: "outbox_messages"
CREATE UNIQUE INDEX `outbox_messages_dedup_key_key` ON `outbox_messages` (`dedup_key`);
-- Create index "outboxmessage_sent_at_next_attempt_at" to table: "outbox_messages"
CREATE INDEX `outboxmessage_sent_at_next_attempt_at` ON `outbox_messages` (`sent_at`, `next_attempt_at`);
