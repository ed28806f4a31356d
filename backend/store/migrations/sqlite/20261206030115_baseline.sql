-- Create "accounts" table
CREATE TABLE `accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `display_name` text NOT NULL, `password_hash` text NULL, `rpps` text NULL, `active` bool NOT NULL DEFAULT (true), `demo` bool NOT NULL DEFAULT (false), `last_login_at` datetime NULL, `worker_id` integer NULL, CONSTRAINT `accounts_workers_worker` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE SET NULL);
-- Create index "accounts_email_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_email_key` ON `accounts` (`email`);
-- Create "anomalies" table
CREATE TABLE `anomalies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `layer` text NOT NULL, `kind` text NOT NULL, `severity` text NOT NULL, `score` real NOT NULL DEFAULT (0), `explanation` text NOT NULL, `reference` json NULL, `fingerprint` text NOT NULL, `period_start` datetime NULL, `period_end` datetime NULL, `status` text NOT NULL DEFAULT ('OPEN'), `acknowledged_at` datetime NULL, `resolved_at` datetime NULL, `resolution_comment` text NULL, `establishment_id` integer NULL, `acknowledged_by_id` integer NULL, `resolved_by_id` integer NULL, `batch_finding_id` integer NULL, `worker_id` integer NOT NULL, CONSTRAINT `anomalies_establishments_establishment` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE SET NULL, CONSTRAINT `anomalies_accounts_acknowledged_by` FOREIGN KEY (`acknowledged_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `anomalies_accounts_resolved_by` FOREIGN KEY (`resolved_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `anomalies_batch_findings_anomalies` FOREIGN KEY (`batch_finding_id`) REFERENCES `batch_findings` (`id`) ON DELETE SET NULL, CONSTRAINT `anomalies_workers_anomalies` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "anomalies" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("anomalies", 4294967296);
-- Create index "anomalies_fingerprint_key" to table: "anomalies"
CREATE UNIQUE INDEX `anomalies_fingerprint_key` ON `anomalies` (`fingerprint`);
-- Create index "anomaly_worker_id_created_at" to table: "anomalies"
CREATE INDEX `anomaly_worker_id_created_at` ON `anomalies` (`worker_id`, `created_at`);
-- Create index "anomaly_establishment_id_created_at" to table: "anomalies"
CREATE INDEX `anomaly_establishment_id_created_at` ON `anomalies` (`establishment_id`, `created_at`);
-- Create index "anomaly_status_created_at" to table: "anomalies"
CREATE INDEX `anomaly_status_created_at` ON `anomalies` (`status`, `created_at`);
-- Create "api_keys" table
CREATE TABLE `api_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `secret_hash` blob NOT NULL, `profile` text NOT NULL, `rate_limit_per_minute` integer NOT NULL DEFAULT (600), `expires_at` datetime NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `account_id` integer NOT NULL, `grant_id` integer NOT NULL, CONSTRAINT `api_keys_accounts_api_keys` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `api_keys_grants_grant` FOREIGN KEY (`grant_id`) REFERENCES `grants` (`id`) ON DELETE NO ACTION);
-- Set sequence for "api_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("api_keys", 8589934592);
-- Create index "api_keys_prefix_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_prefix_key` ON `api_keys` (`prefix`);
-- Create "audit_batches" table
CREATE TABLE `audit_batches` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `number` integer NOT NULL, `first_seq` integer NOT NULL, `last_seq` integer NOT NULL, `root` text NOT NULL, `prev_hash` text NOT NULL, `sealed_at` datetime NOT NULL, `hash` text NOT NULL);
-- Set sequence for "audit_batches" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_batches", 98784247808);
-- Create index "audit_batches_number_key" to table: "audit_batches"
CREATE UNIQUE INDEX `audit_batches_number_key` ON `audit_batches` (`number`);
-- Create index "audit_batches_hash_key" to table: "audit_batches"
CREATE UNIQUE INDEX `audit_batches_hash_key` ON `audit_batches` (`hash`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NULL, `at` datetime NOT NULL, `actor_account_id` integer NULL, `actor_api_key_id` integer NULL, `actor_label` text NULL, `actor_role` text NULL, `grant_id` integer NULL, `action` text NOT NULL, `operation` text NULL, `field_paths` json NULL, `object_type` text NULL, `object_ids` json NULL, `worker_ids` json NULL, `details` json NULL, `prev_hash` text NULL, `salt` text NULL, `hash` text NOT NULL);
-- Set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 12884901888);
-- Create index "audit_events_seq_key" to table: "audit_events"
CREATE UNIQUE INDEX `audit_events_seq_key` ON `audit_events` (`seq`);
-- Create index "audit_events_hash_key" to table: "audit_events"
CREATE UNIQUE INDEX `audit_events_hash_key` ON `audit_events` (`hash`);
-- Create index "auditevent_actor_account_id_at" to table: "audit_events"
CREATE INDEX `auditevent_actor_account_id_at` ON `audit_events` (`actor_account_id`, `at`);
-- Create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- Create index "auditevent_pending" to table: "audit_events"
CREATE INDEX `auditevent_pending` ON `audit_events` (`id`) WHERE seq IS NULL;
-- Create "audit_subjects" table
CREATE TABLE `audit_subjects` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `worker_id` integer NOT NULL, `at` datetime NOT NULL, `event_id` integer NOT NULL, CONSTRAINT `audit_subjects_audit_events_subjects` FOREIGN KEY (`event_id`) REFERENCES `audit_events` (`id`) ON DELETE NO ACTION);
-- Set sequence for "audit_subjects" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_subjects", 77309411328);
-- Create index "auditsubject_worker_id_at" to table: "audit_subjects"
CREATE INDEX `auditsubject_worker_id_at` ON `audit_subjects` (`worker_id`, `at`);
-- Create index "auditsubject_event_id" to table: "audit_subjects"
CREATE INDEX `auditsubject_event_id` ON `audit_subjects` (`event_id`);
-- Create "batch_findings" table
CREATE TABLE `batch_findings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `context_key` text NOT NULL, `context_label` text NULL, `monitoring_kind` text NOT NULL, `sector_code` text NULL, `period_months` integer NOT NULL, `direction` text NOT NULL, `p_value` real NOT NULL, `statistics` json NOT NULL, `explanation` text NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `laboratory_id` integer NOT NULL, `import_batch_id` integer NOT NULL, CONSTRAINT `batch_findings_laboratories_laboratory` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE NO ACTION, CONSTRAINT `batch_findings_import_batches_findings` FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches` (`id`) ON DELETE NO ACTION);
-- Set sequence for "batch_findings" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("batch_findings", 103079215104);
-- Create index "batchfinding_laboratory_id_created_at" to table: "batch_findings"
CREATE INDEX `batchfinding_laboratory_id_created_at` ON `batch_findings` (`laboratory_id`, `created_at`);
-- Create index "batchfinding_import_batch_id" to table: "batch_findings"
CREATE INDEX `batchfinding_import_batch_id` ON `batch_findings` (`import_batch_id`);
-- Create "companies" table
CREATE TABLE `companies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `siren` text NOT NULL, `name` text NOT NULL);
-- Set sequence for "companies" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("companies", 17179869184);
-- Create index "companies_siren_key" to table: "companies"
CREATE UNIQUE INDEX `companies_siren_key` ON `companies` (`siren`);
-- Create "context_statistics" table
CREATE TABLE `context_statistics` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `level` text NOT NULL, `context_key` text NOT NULL, `domain_code` text NULL, `sector_code` text NULL, `job_code` text NULL, `monitoring_kind` text NOT NULL, `period_months` integer NOT NULL, `month` datetime NOT NULL, `doses` integer NOT NULL, `zero_doses` integer NOT NULL, `sum_usv` integer NOT NULL, `digest` blob NULL, `contributors` json NULL);
-- Set sequence for "context_statistics" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("context_statistics", 81604378624);
-- Create index "contextstatistic_context_key_month" to table: "context_statistics"
CREATE UNIQUE INDEX `contextstatistic_context_key_month` ON `context_statistics` (`context_key`, `month`);
-- Create index "contextstatistic_level_monitoring_kind_month" to table: "context_statistics"
CREATE INDEX `contextstatistic_level_monitoring_kind_month` ON `context_statistics` (`level`, `monitoring_kind`, `month`);
-- Create "dose_conflicts" table
CREATE TABLE `dose_conflicts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `resolved_at` datetime NULL, `resolution_reason` text NULL, `worker_id` integer NOT NULL, `establishment_id` integer NOT NULL, `laboratory_id` integer NOT NULL, `correction_id` integer NOT NULL, `resend_id` integer NOT NULL, `resolved_by_id` integer NULL, CONSTRAINT `dose_conflicts_workers_worker` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_conflicts_establishments_establishment` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_conflicts_laboratories_laboratory` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_conflicts_dose_records_correction` FOREIGN KEY (`correction_id`) REFERENCES `dose_records` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_conflicts_dose_records_resend` FOREIGN KEY (`resend_id`) REFERENCES `dose_records` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_conflicts_accounts_resolved_by` FOREIGN KEY (`resolved_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "dose_conflicts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dose_conflicts", 85899345920);
-- Create index "doseconflict_worker_id_status" to table: "dose_conflicts"
CREATE INDEX `doseconflict_worker_id_status` ON `dose_conflicts` (`worker_id`, `status`);
-- Create index "doseconflict_status_created_at" to table: "dose_conflicts"
CREATE INDEX `doseconflict_status_created_at` ON `dose_conflicts` (`status`, `created_at`);
-- Create "dose_constraints" table
CREATE TABLE `dose_constraints` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `job_code` text NULL, `limit_code` text NOT NULL, `annual_usv` integer NOT NULL, `valid_from` datetime NOT NULL, `valid_to` datetime NULL, `comment` text NULL, `establishment_id` integer NOT NULL, `set_by_id` integer NOT NULL, `ended_by_id` integer NULL, CONSTRAINT `dose_constraints_establishments_establishment` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_constraints_accounts_set_by` FOREIGN KEY (`set_by_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_constraints_accounts_ended_by` FOREIGN KEY (`ended_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "dose_constraints" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dose_constraints", 107374182400);
-- Create index "doseconstraint_establishment_id_limit_code_valid_to" to table: "dose_constraints"
CREATE INDEX `doseconstraint_establishment_id_limit_code_valid_to` ON `dose_constraints` (`establishment_id`, `limit_code`, `valid_to`);
-- Create "dose_records" table
CREATE TABLE `dose_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `source` text NOT NULL, `dosimeter_serial` text NULL, `monitoring_kind` text NOT NULL, `quantity` text NOT NULL, `value_usv` integer NOT NULL, `status` text NOT NULL, `period_start` datetime NOT NULL, `period_end` datetime NOT NULL, `radionuclide` text NULL, `comment` text NULL, `sector_code` text NULL, `job_code` text NULL, `version` integer NOT NULL DEFAULT (1), `current` bool NOT NULL DEFAULT (true), `superseded_at` datetime NULL, `correction_reason` text NULL, `received_at` datetime NOT NULL, `received_on` datetime NULL, `pending` bool NOT NULL DEFAULT (false), `recorded_by_id` integer NULL, `supersedes_id` integer NULL, `establishment_id` integer NOT NULL, `import_batch_id` integer NULL, `laboratory_id` integer NULL, `worker_id` integer NOT NULL, CONSTRAINT `dose_records_accounts_recorded_by` FOREIGN KEY (`recorded_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `dose_records_dose_records_superseded_by` FOREIGN KEY (`supersedes_id`) REFERENCES `dose_records` (`id`) ON DELETE SET NULL, CONSTRAINT `dose_records_establishments_dose_records` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `dose_records_import_batches_dose_records` FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches` (`id`) ON DELETE SET NULL, CONSTRAINT `dose_records_laboratories_dose_records` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE SET NULL, CONSTRAINT `dose_records_workers_dose_records` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "dose_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dose_records", 21474836480);
-- Create index "dose_records_supersedes_id_key" to table: "dose_records"
CREATE UNIQUE INDEX `dose_records_supersedes_id_key` ON `dose_records` (`supersedes_id`);
-- Create index "doserecord_worker_id_period_start" to table: "dose_records"
CREATE INDEX `doserecord_worker_id_period_start` ON `dose_records` (`worker_id`, `period_start`);
-- Create index "doserecord_establishment_id_period_start" to table: "dose_records"
CREATE INDEX `doserecord_establishment_id_period_start` ON `dose_records` (`establishment_id`, `period_start`);
-- Create index "doserecord_sector_code_job_code_monitoring_kind_period_start" to table: "dose_records"
CREATE INDEX `doserecord_sector_code_job_code_monitoring_kind_period_start` ON `dose_records` (`sector_code`, `job_code`, `monitoring_kind`, `period_start`);
-- Create index "doserecord_laboratory_id_dosim_a3e18f129b01cb84399f6e5bae1f9cd2" to table: "dose_records"
CREATE INDEX `doserecord_laboratory_id_dosim_a3e18f129b01cb84399f6e5bae1f9cd2` ON `dose_records` (`laboratory_id`, `dosimeter_serial`, `quantity`, `period_start`, `period_end`);
-- Create index "doserecord_import_batch_id" to table: "dose_records"
CREATE INDEX `doserecord_import_batch_id` ON `dose_records` (`import_batch_id`);
-- Create "dosimeters" table
CREATE TABLE `dosimeters` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `serial` text NOT NULL, `kind` text NOT NULL, `retired_at` datetime NULL, `establishment_id` integer NULL, `laboratory_id` integer NULL, CONSTRAINT `dosimeters_establishments_dosimeters` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE SET NULL, CONSTRAINT `dosimeters_laboratories_dosimeters` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE SET NULL);
-- Set sequence for "dosimeters" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dosimeters", 25769803776);
-- Create index "dosimeter_laboratory_id_serial" to table: "dosimeters"
CREATE UNIQUE INDEX `dosimeter_laboratory_id_serial` ON `dosimeters` (`laboratory_id`, `serial`);
-- Create "dosimeter_assignments" table
CREATE TABLE `dosimeter_assignments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `body_position` text NULL, `dosimeter_id` integer NOT NULL, `worker_id` integer NOT NULL, CONSTRAINT `dosimeter_assignments_dosimeters_assignments` FOREIGN KEY (`dosimeter_id`) REFERENCES `dosimeters` (`id`) ON DELETE NO ACTION, CONSTRAINT `dosimeter_assignments_workers_assignments` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "dosimeter_assignments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dosimeter_assignments", 30064771072);
-- Create index "dosimeterassignment_dosimeter_id_start_date" to table: "dosimeter_assignments"
CREATE INDEX `dosimeterassignment_dosimeter_id_start_date` ON `dosimeter_assignments` (`dosimeter_id`, `start_date`);
-- Create index "dosimeterassignment_worker_id_start_date" to table: "dosimeter_assignments"
CREATE INDEX `dosimeterassignment_worker_id_start_date` ON `dosimeter_assignments` (`worker_id`, `start_date`);
-- Create "employments" table
CREATE TABLE `employments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `contract_type` text NOT NULL, `work_fraction` integer NOT NULL DEFAULT (100), `nomenclature_version` text NOT NULL, `sector_code` text NULL, `job_code` text NULL, `classification` text NOT NULL, `monitoring_kinds` json NOT NULL, `pregnancy_declared_on` datetime NULL, `pregnancy_ended_on` datetime NULL, `establishment_id` integer NOT NULL, `worker_id` integer NOT NULL, CONSTRAINT `employments_establishments_employments` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `employments_workers_employments` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "employments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("employments", 34359738368);
-- Create index "employment_establishment_id_start_date" to table: "employments"
CREATE INDEX `employment_establishment_id_start_date` ON `employments` (`establishment_id`, `start_date`);
-- Create index "employment_worker_id_start_date" to table: "employments"
CREATE INDEX `employment_worker_id_start_date` ON `employments` (`worker_id`, `start_date`);
-- Create index "employment_establishment_id_worker_id" to table: "employments"
CREATE INDEX `employment_establishment_id_worker_id` ON `employments` (`establishment_id`, `worker_id`);
-- Create index "employment_sector_code_job_code" to table: "employments"
CREATE INDEX `employment_sector_code_job_code` ON `employments` (`sector_code`, `job_code`);
-- Create "establishments" table
CREATE TABLE `establishments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `siret` text NOT NULL, `name` text NOT NULL, `address` text NULL, `postal_code` text NULL, `city` text NULL, `region` text NULL, `naf_code` text NULL, `domain_code` text NULL, `closed_at` datetime NULL, `company_id` integer NULL, CONSTRAINT `establishments_companies_establishments` FOREIGN KEY (`company_id`) REFERENCES `companies` (`id`) ON DELETE SET NULL);
-- Set sequence for "establishments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("establishments", 38654705664);
-- Create index "establishments_siret_key" to table: "establishments"
CREATE UNIQUE INDEX `establishments_siret_key` ON `establishments` (`siret`);
-- Create index "establishment_region" to table: "establishments"
CREATE INDEX `establishment_region` ON `establishments` (`region`);
-- Create index "establishment_company_id" to table: "establishments"
CREATE INDEX `establishment_company_id` ON `establishments` (`company_id`);
-- Create "exceedance_notices" table
CREATE TABLE `exceedance_notices` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sector_code` text NOT NULL, `sector_label` text NOT NULL, `domain_code` text NOT NULL, `domain_label` text NOT NULL, `region_code` text NOT NULL, `region_label` text NOT NULL, `limit_code` text NOT NULL, `population` text NOT NULL, `band` text NOT NULL, `band_label` text NOT NULL, `band_lower_usv` integer NOT NULL, `band_upper_usv` integer NULL, `exceedance_month` datetime NOT NULL, `confirmed_on` datetime NOT NULL);
-- Set sequence for "exceedance_notices" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("exceedance_notices", 90194313216);
-- Create index "exceedancenotice_confirmed_on" to table: "exceedance_notices"
CREATE INDEX `exceedancenotice_confirmed_on` ON `exceedance_notices` (`confirmed_on`);
-- Create index "exceedancenotice_region_code_sector_code" to table: "exceedance_notices"
CREATE INDEX `exceedancenotice_region_code_sector_code` ON `exceedance_notices` (`region_code`, `sector_code`);
-- Create "exposure_summaries" table
CREATE TABLE `exposure_summaries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `limit_code` text NOT NULL, `window_start` datetime NOT NULL, `window_end` datetime NOT NULL, `sum_usv` integer NOT NULL, `limit_usv` integer NOT NULL, `status` text NOT NULL, `records` integer NOT NULL, `worker_id` integer NOT NULL, CONSTRAINT `exposure_summaries_workers_exposure_summaries` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "exposure_summaries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("exposure_summaries", 42949672960);
-- Create index "exposuresummary_worker_id_limit_code" to table: "exposure_summaries"
CREATE UNIQUE INDEX `exposuresummary_worker_id_limit_code` ON `exposure_summaries` (`worker_id`, `limit_code`);
-- Create index "exposuresummary_status_limit_code" to table: "exposure_summaries"
CREATE INDEX `exposuresummary_status_limit_code` ON `exposure_summaries` (`status`, `limit_code`);
-- Create "grants" table
CREATE TABLE `grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL, `region` text NULL, `valid_from` datetime NOT NULL, `valid_to` datetime NULL, `revoked_at` datetime NULL, `account_id` integer NOT NULL, `establishment_id` integer NULL, `company_id` integer NULL, `worker_id` integer NULL, `laboratory_id` integer NULL, `delegated_from_id` integer NULL, CONSTRAINT `grants_accounts_grants` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_establishments_establishment` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_companies_company` FOREIGN KEY (`company_id`) REFERENCES `companies` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_workers_worker` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_laboratories_laboratory` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_grants_delegations` FOREIGN KEY (`delegated_from_id`) REFERENCES `grants` (`id`) ON DELETE SET NULL);
-- Set sequence for "grants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("grants", 47244640256);
-- Create index "grant_account_id" to table: "grants"
CREATE INDEX `grant_account_id` ON `grants` (`account_id`);
-- Create index "grant_establishment_id_role" to table: "grants"
CREATE INDEX `grant_establishment_id_role` ON `grants` (`establishment_id`, `role`);
-- Create index "grant_worker_id_role" to table: "grants"
CREATE INDEX `grant_worker_id_role` ON `grants` (`worker_id`, `role`);
-- Create "import_batches" table
CREATE TABLE `import_batches` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `format` text NOT NULL, `reference` text NOT NULL, `filename` text NULL, `checksum` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `rows_total` integer NOT NULL DEFAULT (0), `rows_accepted` integer NOT NULL DEFAULT (0), `rows_rejected` integer NOT NULL DEFAULT (0), `report` json NULL, `completed_at` datetime NULL, `profile` json NULL, `submitter_id` integer NOT NULL, `api_key_id` integer NULL, `laboratory_id` integer NULL, `establishment_id` integer NULL, CONSTRAINT `import_batches_accounts_submitter` FOREIGN KEY (`submitter_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `import_batches_api_keys_api_key` FOREIGN KEY (`api_key_id`) REFERENCES `api_keys` (`id`) ON DELETE SET NULL, CONSTRAINT `import_batches_laboratories_laboratory` FOREIGN KEY (`laboratory_id`) REFERENCES `laboratories` (`id`) ON DELETE SET NULL, CONSTRAINT `import_batches_establishments_establishment` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE SET NULL);
-- Set sequence for "import_batches" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("import_batches", 51539607552);
-- Create index "importbatch_submitter_id_reference" to table: "import_batches"
CREATE UNIQUE INDEX `importbatch_submitter_id_reference` ON `import_batches` (`submitter_id`, `reference`);
-- Create index "importbatch_laboratory_id_created_at" to table: "import_batches"
CREATE INDEX `importbatch_laboratory_id_created_at` ON `import_batches` (`laboratory_id`, `created_at`);
-- Create "interventions" table
CREATE TABLE `interventions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `worker_id` integer NOT NULL, `site_establishment_id` integer NOT NULL, `contractor_establishment_id` integer NOT NULL, `declared_by_id` integer NOT NULL, CONSTRAINT `interventions_workers_worker` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION, CONSTRAINT `interventions_establishments_site` FOREIGN KEY (`site_establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `interventions_establishments_contractor` FOREIGN KEY (`contractor_establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `interventions_accounts_declared_by` FOREIGN KEY (`declared_by_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "interventions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("interventions", 94489280512);
-- Create index "intervention_worker_id_site_establishment_id_start_date" to table: "interventions"
CREATE INDEX `intervention_worker_id_site_establishment_id_start_date` ON `interventions` (`worker_id`, `site_establishment_id`, `start_date`);
-- Create index "intervention_site_establishment_id_start_date" to table: "interventions"
CREATE INDEX `intervention_site_establishment_id_start_date` ON `interventions` (`site_establishment_id`, `start_date`);
-- Create index "intervention_site_establishment_id_worker_id" to table: "interventions"
CREATE INDEX `intervention_site_establishment_id_worker_id` ON `interventions` (`site_establishment_id`, `worker_id`);
-- Create index "intervention_contractor_establishment_id_start_date" to table: "interventions"
CREATE INDEX `intervention_contractor_establishment_id_start_date` ON `interventions` (`contractor_establishment_id`, `start_date`);
-- Create "laboratories" table
CREATE TABLE `laboratories` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `siret` text NULL, `accreditation` text NULL, `active` bool NOT NULL DEFAULT (true));
-- Set sequence for "laboratories" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("laboratories", 55834574848);
-- Create index "laboratories_code_key" to table: "laboratories"
CREATE UNIQUE INDEX `laboratories_code_key` ON `laboratories` (`code`);
-- Create "nomenclatures" table
CREATE TABLE `nomenclatures` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `version` text NOT NULL, `code` text NOT NULL, `label` text NOT NULL, `parent_code` text NULL, `valid_from` datetime NOT NULL, `valid_to` datetime NULL);
-- Set sequence for "nomenclatures" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("nomenclatures", 60129542144);
-- Create index "nomenclature_kind_version_code" to table: "nomenclatures"
CREATE UNIQUE INDEX `nomenclature_kind_version_code` ON `nomenclatures` (`kind`, `version`, `code`);
-- Create "operational_doses" table
CREATE TABLE `operational_doses` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `dosimeter_serial` text NOT NULL, `start_at` datetime NOT NULL, `end_at` datetime NOT NULL, `value_usv` integer NOT NULL, `version` integer NOT NULL DEFAULT (1), `current` bool NOT NULL DEFAULT (true), `superseded_at` datetime NULL, `received_at` datetime NOT NULL, `establishment_id` integer NOT NULL, `import_batch_id` integer NULL, `supersedes_id` integer NULL, `worker_id` integer NOT NULL, CONSTRAINT `operational_doses_establishments_operational_doses` FOREIGN KEY (`establishment_id`) REFERENCES `establishments` (`id`) ON DELETE NO ACTION, CONSTRAINT `operational_doses_import_batches_operational_doses` FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches` (`id`) ON DELETE SET NULL, CONSTRAINT `operational_doses_operational_doses_superseded_by` FOREIGN KEY (`supersedes_id`) REFERENCES `operational_doses` (`id`) ON DELETE SET NULL, CONSTRAINT `operational_doses_workers_operational_doses` FOREIGN KEY (`worker_id`) REFERENCES `workers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "operational_doses" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("operational_doses", 64424509440);
-- Create index "operational_doses_supersedes_id_key" to table: "operational_doses"
CREATE UNIQUE INDEX `operational_doses_supersedes_id_key` ON `operational_doses` (`supersedes_id`);
-- Create index "operationaldose_worker_id_start_at" to table: "operational_doses"
CREATE INDEX `operationaldose_worker_id_start_at` ON `operational_doses` (`worker_id`, `start_at`);
-- Create index "operationaldose_establishment_id_start_at" to table: "operational_doses"
CREATE INDEX `operationaldose_establishment_id_start_at` ON `operational_doses` (`establishment_id`, `start_at`);
-- Create index "operationaldose_dosimeter_serial_start_at" to table: "operational_doses"
CREATE INDEX `operationaldose_dosimeter_serial_start_at` ON `operational_doses` (`dosimeter_serial`, `start_at`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `token_hash` blob NOT NULL, `expires_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `revoked_at` datetime NULL, `active_role` text NULL, `remote_addr` text NULL, `user_agent` text NULL, `account_id` integer NOT NULL, CONSTRAINT `sessions_accounts_sessions` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 68719476736);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create "workers" table
CREATE TABLE `workers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `identifier_kind` text NOT NULL DEFAULT ('NIR'), `nir` text NULL, `temporary_id` text NULL, `foreign_id` text NULL, `foreign_country` text NULL, `last_name` text NOT NULL, `usage_name` text NULL, `first_names` text NOT NULL, `birth_date` datetime NOT NULL, `birth_place` text NULL, `birth_country` text NULL, `sex` text NOT NULL, `pseudonym` text NOT NULL);
-- Set sequence for "workers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("workers", 73014444032);
-- Create index "workers_nir_key" to table: "workers"
CREATE UNIQUE INDEX `workers_nir_key` ON `workers` (`nir`);
-- Create index "workers_pseudonym_key" to table: "workers"
CREATE UNIQUE INDEX `workers_pseudonym_key` ON `workers` (`pseudonym`);
-- Create index "worker_last_name_first_names_birth_date" to table: "workers"
CREATE INDEX `worker_last_name_first_names_birth_date` ON `workers` (`last_name`, `first_names`, `birth_date`);
-- Create index "worker_temporary_id" to table: "workers"
CREATE INDEX `worker_temporary_id` ON `workers` (`temporary_id`);
-- Create index "worker_foreign_country_foreign_id" to table: "workers"
CREATE INDEX `worker_foreign_country_foreign_id` ON `workers` (`foreign_country`, `foreign_id`);
-- Create "anomaly_dose_records" table
CREATE TABLE `anomaly_dose_records` (`anomaly_id` integer NOT NULL, `dose_record_id` integer NOT NULL, PRIMARY KEY (`anomaly_id`, `dose_record_id`), CONSTRAINT `anomaly_dose_records_anomaly_id` FOREIGN KEY (`anomaly_id`) REFERENCES `anomalies` (`id`) ON DELETE CASCADE, CONSTRAINT `anomaly_dose_records_dose_record_id` FOREIGN KEY (`dose_record_id`) REFERENCES `dose_records` (`id`) ON DELETE CASCADE);
