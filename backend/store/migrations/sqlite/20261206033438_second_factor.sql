-- Add column "amr" to table: "sessions"
ALTER TABLE `sessions` ADD COLUMN `amr` text NULL;
-- Add column "second_factor_at" to table: "sessions"
ALTER TABLE `sessions` ADD COLUMN `second_factor_at` datetime NULL;
-- Create "recovery_codes" table
CREATE TABLE `recovery_codes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `code_hash` blob NOT NULL, `used_at` datetime NULL, `revoked_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `recovery_codes_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "recovery_codes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("recovery_codes", 115964116992);
-- Create index "recovery_codes_code_hash_key" to table: "recovery_codes"
CREATE UNIQUE INDEX `recovery_codes_code_hash_key` ON `recovery_codes` (`code_hash`);
-- Create index "recoverycode_account_id" to table: "recovery_codes"
CREATE INDEX `recoverycode_account_id` ON `recovery_codes` (`account_id`);
-- Create "totp_credentials" table
CREATE TABLE `totp_credentials` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `secret` blob NOT NULL, `confirmed_at` datetime NULL, `last_step` integer NOT NULL DEFAULT (0), `revoked_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `totp_credentials_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "totp_credentials" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("totp_credentials", 120259084288);
-- Create index "totpcredential_account_id" to table: "totp_credentials"
CREATE INDEX `totpcredential_account_id` ON `totp_credentials` (`account_id`);
