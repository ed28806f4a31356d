-- Create "account_tokens" table
CREATE TABLE `account_tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `purpose` text NOT NULL, `token_hash` blob NOT NULL, `expires_at` datetime NOT NULL, `used_at` datetime NULL, `revoked_at` datetime NULL, `created_by_id` integer NULL, `account_id` integer NOT NULL, CONSTRAINT `account_tokens_accounts_tokens` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "account_tokens" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("account_tokens", 111669149696);
-- Create index "account_tokens_token_hash_key" to table: "account_tokens"
CREATE UNIQUE INDEX `account_tokens_token_hash_key` ON `account_tokens` (`token_hash`);
-- Create index "accounttoken_account_id_purpose" to table: "account_tokens"
CREATE INDEX `accounttoken_account_id_purpose` ON `account_tokens` (`account_id`, `purpose`);
