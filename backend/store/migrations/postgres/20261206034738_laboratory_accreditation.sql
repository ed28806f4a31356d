-- Modify "laboratories" table
ALTER TABLE "laboratories" ADD COLUMN "accreditation_body" character varying NULL, ADD COLUMN "accreditation_scope" character varying NULL, ADD COLUMN "accreditation_valid_from" timestamptz NULL, ADD COLUMN "accreditation_valid_to" timestamptz NULL;
