-- Create "external_identities" table
CREATE TABLE `external_identities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `provider` text NOT NULL, `issuer` text NOT NULL, `subject` text NOT NULL, `asserted` json NULL, `pending_hash` blob NULL, `pending_expires_at` datetime NULL, `pending_id_token` text NULL, `last_login_at` datetime NULL, `account_id` integer NULL, CONSTRAINT `external_identities_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "external_identities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("external_identities", 124554051584);
-- Create index "external_identities_pending_hash_key" to table: "external_identities"
CREATE UNIQUE INDEX `external_identities_pending_hash_key` ON `external_identities` (`pending_hash`);
-- Create index "externalidentity_issuer_subject" to table: "external_identities"
CREATE UNIQUE INDEX `externalidentity_issuer_subject` ON `external_identities` (`issuer`, `subject`);
-- Create index "externalidentity_account_id" to table: "external_identities"
CREATE INDEX `externalidentity_account_id` ON `external_identities` (`account_id`);
-- Create "external_sessions" table
CREATE TABLE `external_sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `id_token` text NOT NULL, `session_id` integer NOT NULL, `identity_id` integer NOT NULL, CONSTRAINT `external_sessions_sessions_session` FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE NO ACTION, CONSTRAINT `external_sessions_external_identities_identity` FOREIGN KEY (`identity_id`) REFERENCES `external_identities` (`id`) ON DELETE NO ACTION);
-- Set sequence for "external_sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("external_sessions", 128849018880);
-- Create "worker_claim_codes" table
CREATE TABLE `worker_claim_codes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `code_hash` blob NOT NULL, `expires_at` datetime NOT NULL, `used_at` datetime NULL, `created_by_id` integer NOT NULL, `worker_id` integer NOT NULL, CONSTRAINT `worker_claim_codes_workers_worker` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "worker_claim_codes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("worker_claim_codes", 133143986176);
-- Create index "worker_claim_codes_code_hash_key" to table: "worker_claim_codes"
CREATE UNIQUE INDEX `worker_claim_codes_code_hash_key` ON `worker_claim_codes` (`code_hash`);
