-- Add column "accreditation_body" to table: "laboratories"
ALTER TABLE `laboratories` ADD COLUMN `accreditation_body` text NULL;
-- Add column "accreditation_scope" to table: "laboratories"
ALTER TABLE `laboratories` ADD COLUMN `accreditation_scope` text NULL;
-- Add column "accreditation_valid_from" to table: "laboratories"
ALTER TABLE `laboratories` ADD COLUMN `accreditation_valid_from` datetime NULL;
-- Add column "accreditation_valid_to" to table: "laboratories"
ALTER TABLE `laboratories` ADD COLUMN `accreditation_valid_to` datetime NULL;
