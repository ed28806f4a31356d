package accesstest

import (
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/graph/generated"
	"github.com/siseri/siseri/policy"
)

// This file is the expectation of the matrix: who may select each GraphQL
// field, read from DOMAIN.md §1.2–§1.3 and §10, written WITHOUT looking at
// policy.csv (the point is to catch mistakes in it). Each field belongs to one
// or more categories of data; a role (or partner profile) may select the field
// only when it holds every category the field belongs to. An edge belongs to
// the categories of both ends, so that no path reaches data its target
// category refuses.

// Categories of data.
const (
	catCore      = "core"             // the caller's own session and account: me, node lookups, Account scalars
	catSession   = "session"          // login, logout, switchRole, the second factor (people, not partner keys)
	catRights    = "rights"           // grants and API keys (one's own; every one for administrators)
	catRef       = "ref"              // public reference data: establishments, companies, laboratories, nomenclatures
	catWorker    = "worker"           // a worker row: ids, identifier kind, sex, birth year
	catIdentity  = "worker.identity"  // NIR, NTT, names, birth date and place (never to analysts)
	catPseudonym = "worker.pseudonym" // the statistical key (analysts only: joined with a NIR it re-identifies)
	catEmploy    = "employment"       // administrative data of an employment
	catPregnancy = "employment.pregnancy"
	catDose      = "dose"          // a dose-of-record row and its context, without the value
	catDoseValue = "dose.value"    // the value of a dose of record
	catInternal  = "dose.internal" // internal-dosimetry detail (radionuclide): never advisers, inspectors
	catDoseText  = "dose.text"     // free text on a dose (a laboratory's comment): not pseudonymised
	catCorrWhy   = "dose.reason"   // a physician's reason for a correction: in the medical file (worker, medical team)
	catSerial    = "dose.serial"   // dosimeter serial on a result: a quasi-identifier
	catOpDose    = "operational"   // operational (active) dosimetry, values included
	catOpSerial  = "operational.serial"
	catStatus    = "exposure.status"   // limit code, window, limit, status: "that a limit was exceeded"
	catSum       = "exposure.value"    // rolling sums and record counts of every result of a worker
	catSumSeen   = "exposure.seen"     // sums of the results the viewer may read (Worker.exposure): the adviser's effective dose of the contract period
	catConflict  = "dose.conflict"     // laboratory re-sends of corrected results, waiting for the physician
	catResolve   = "mutation.conflict" // the physician's decision on a correction conflict
	catAnomaly   = "anomaly"           // the fact of a finding: kind, status, who, when
	catAnomalyV  = "anomaly.detail"    // score, explanation, reference, severity, workflow
	catAnomalyT  = "anomaly.text"      // free-text resolution comment
	catDosimeter = "dosimeter"         // dosimeters and wearing periods
	catBatch     = "batch"             // submitted batches
	catAudit     = "audit"             // audit events about oneself
	catAuditAll  = "audit.detail"      // raw ids and details of audit events
	catIdCheck   = "identity.check"    // checkIdentity
	catAccWorker = "account.worker"    // the worker an account belongs to (that worker; administrators binding accounts)
	catRecorder  = "dose.recorder"     // the account that corrected a dose: the medical team
	catFleet     = "dosimeter.fleet"   // a laboratory's whole dosimeter fleet
	catGrantWkr  = "grant.worker"      // the worker a grant is scoped to
	catRefEdges  = "reference.edges"   // browsing scoped data from reference rows (people, not partner keys)
	catWorkerLst = "worker.list"       // listing workers from the root (a statistics key reaches them through doses only)
	catStats     = "statistics"        // national aggregates per exposure context (small cells suppressed)
	catAnomalyW  = "mutation.anomaly"  // acknowledging and closing findings
	catDeclare   = "mutation.declare"  // employer declarations (workers, employments, dosimeters)
	catEstWrite  = "mutation.establishment"
	catClaimCode = "mutation.claimcode" // the one-time code linking a worker's FranceConnect+ identity: the physician's act
	catAdminW    = "mutation.admin"     // accounts, grants, API keys
	catRevoke    = "mutation.revokeGrant"
	catDelegate  = "mutation.delegate"
	catSubmitLab = "mutation.submit.results"     // laboratories send results
	catSubmitOp  = "mutation.submit.operational" // operational dosimetry (INB): correspondent, or adviser by delegation
	catSubmitAny = "mutation.submit.file"        // file upload (the format is checked against the role)
	catCorrect   = "mutation.correct"            // physicians correct or add a dose
	catReport    = "batch.report"                // execution report of one's own submission
	catReportVal = "batch.report.doses"          // dose distribution of a batch: dosimetric data
	catNotice    = "exceedance.notice"           // the anonymous notices of confirmed exceedances to the ministry (no person, no place, no value)
	catIntervene = "mutation.intervention"       // declaring and ending outside companies' interventions on an operator's site
	catConstrain = "constraint"                  // the employer's dose constraints of an establishment and their defaults
	catConstrW   = "mutation.constraint"         // setting and ending an establishment's dose constraints
	catBatchFind = "batch.finding"               // findings on a laboratory batch: the laboratory that sent it and the agency
)

// roleCategories is DOMAIN.md §1.3 read role by role.
var roleCategories = map[policy.Role][]string{
	// Themself: every own result, internal included, own administrative data,
	// own dosimeters, the audit trail of who read them. Informed of
	// exceedances by the physician, not by the registry (no anomalies).
	policy.RoleWorker: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catDose, catDoseValue, catInternal, catDoseText, catCorrWhy, catSerial, catOpDose, catOpSerial, catStatus, catSum, catSumSeen,
		catDosimeter, catAudit, catAccWorker, catGrantWkr, catWorkerLst},
	// Followed workers: every result, external and internal, and the findings;
	// corrects and adds doses, settles correction conflicts (R.4451-68).
	policy.RolePhysician: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catDose, catDoseValue, catInternal, catDoseText, catCorrWhy, catSerial, catOpDose, catOpSerial, catStatus, catSum, catSumSeen,
		catAnomaly, catAnomalyV, catAnomalyT, catDosimeter, catRevoke, catDelegate, catRecorder, catGrantWkr, catWorkerLst, catStats, catAnomalyW,
		catCorrect, catConflict, catResolve, catConstrain, catClaimCode},
	// The physician's delegate reads and prepares; correcting, adding a dose,
	// confirming and settling conflicts stay the physician's acts (RC13).
	policy.RoleDelegate: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catDose, catDoseValue, catInternal, catDoseText, catCorrWhy, catSerial, catOpDose, catOpSerial, catStatus, catSum, catSumSeen,
		catAnomaly, catAnomalyV, catAnomalyT, catDosimeter, catRecorder, catGrantWkr, catWorkerLst, catStats, catAnomalyW, catConflict},
	// External results and effective dose for the contract period, never
	// internal detail; operational dosimetry; findings with their value.
	// The effective dose of the contract period (R.4451-69), never the
	// stored rolling sum: it spans other employers' periods and internal
	// dosimetry.
	policy.RoleRPA: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catDose, catDoseValue, catDoseText, catSerial, catOpDose, catOpSerial, catStatus, catSumSeen,
		catAnomaly, catAnomalyV, catAnomalyT, catDosimeter, catFleet, catWorkerLst, catStats, catAnomalyW,
		catSubmitOp, catSubmitAny, catReport, catReportVal, catIntervene, catBatch, catConstrain, catConstrW},
	// Administrative data only: never a dose value, never dosimetric data;
	// told that a limit was exceeded and by whom.
	policy.RoleEmployer: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catStatus, catAnomaly, catDosimeter, catFleet, catBatch, catDeclare, catEstWrite, catWorkerLst,
		catSubmitOp, catSubmitAny, catReport, catIntervene, catConstrain, catConstrW},
	// Its own submissions, values included; no browsing of workers.
	policy.RoleLaboratory: {catCore, catSession, catRights, catRef, catRefEdges, catDose, catDoseValue, catInternal, catDoseText,
		catSerial, catDosimeter, catFleet, catBatch, catIdCheck, catSubmitLab, catSubmitAny, catReport, catReportVal, catBatchFind},
	// Effective dose and external results of their region; administrative data.
	policy.RoleControlAgent: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catEmploy, catPregnancy,
		catDose, catDoseValue, catDoseText, catSerial, catStatus, catSum, catSumSeen, catWorkerLst, catStats, catConstrain},
	// Pseudonymised: no identity, no free text, no pregnancy dates. The
	// manager alerts the ministry anonymously (§1.2, §1.3, §3.3 4.): its
	// analysts read the notices they issue.
	policy.RoleAnalyst: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catPseudonym, catEmploy,
		catDose, catDoseValue, catInternal, catOpDose, catStatus, catSum, catSumSeen, catAnomaly, catAnomalyV, catWorkerLst, catStats,
		catNotice, catBatchFind},
	// The ministry of labour (DGT) receives the anonymised alerts on limit
	// exceedances (§1.2 last line, §3.3 4.), and nothing else: no worker, no
	// dose, no finding; public reference data only.
	policy.RoleLabourMinistry: {catCore, catSession, catRights, catRef, catNotice},
	// Accounts, grants, keys, reference data, worker identity, audit log;
	// never a dose value. The registry's manager integrates past records
	// (a laboratory's history, migration) through the import path.
	policy.RoleAdmin: {catCore, catSession, catRights, catRef, catRefEdges, catWorker, catIdentity, catAudit, catAuditAll,
		catEstWrite, catAdminW, catRevoke, catAccWorker, catGrantWkr, catWorkerLst, catSubmitLab, catSubmitAny, catReport, catBatchFind},
}

// profileCategories narrows a partner key to what its software needs.
// DOMAIN.md says nothing of partner profiles: where the implementation chose
// narrower than this reading, its choice is taken (see the report); the table
// still fails when a profile reaches data its role's reading refuses.
var profileCategories = map[policy.Profile][]string{
	// The occupational health service's software: followed workers' identity
	// and results.
	policy.ProfileOccupationalHealth: {catCore, catSession, catRights, catRef, catWorker, catIdentity,
		catDose, catDoseValue, catInternal, catDoseText, catCorrWhy, catSerial, catStatus, catSum, catSumSeen, catWorkerLst},
	// A laboratory's LIMS: its submissions, its batches, identity checks.
	policy.ProfileLaboratorySystem: {catCore, catSession, catRights, catRef, catDose, catDoseValue, catInternal,
		catDoseText, catSerial, catBatch, catIdCheck, catSubmitLab, catSubmitAny, catReport, catReportVal, catBatchFind},
	// A statistics consumer: pseudonymised doses and exposure (workers only
	// through them).
	policy.ProfileStatistics: {catCore, catSession, catRights, catRef, catWorker, catPseudonym, catDose, catDoseValue,
		catStatus, catSum, catSumSeen, catStats},
}

// fieldCategories maps every object field of the schema to its categories.
var fieldCategories = buildFieldCategories()

func buildFieldCategories() map[string][]string {
	m := map[string][]string{}
	set := func(typ string, cats []string, fields string) {
		for _, f := range strings.Fields(fields) {
			key := typ + "." + f
			if _, dup := m[key]; dup {
				panic("entitlement table: " + key + " listed twice")
			}
			m[key] = cats
		}
	}
	c := func(cats ...string) []string { return cats }

	set("Query", c(catCore), "node nodes me")
	set("Query", c(catRights), "accounts grants apiKeys")
	set("Query", c(catRef), "companies establishments laboratories nomenclatures")
	set("Query", c(catWorker, catWorkerLst), "workers")
	set("Query", c(catEmploy), "employments")
	set("Query", c(catDose), "doseRecords")
	set("Query", c(catOpDose), "operationalDoses")
	set("Query", c(catStatus), "exposureSummaries")
	set("Query", c(catAnomaly), "anomalies doseConstraintNotices")
	set("Query", c(catDosimeter), "dosimeters dosimeterAssignments")
	set("Query", c(catBatch), "importBatches")
	set("Query", c(catAudit), "auditEvents auditTrail")
	set("Query", c(catIdCheck), "checkIdentity")
	set("Query", c(catStats), "contextStatistics")
	set("Query", c(catReport), "importReport")
	set("Query", c(catNotice), "exceedanceNotices")
	set("ExceedanceNotice", c(catNotice), "id sectorCode sectorLabel domainCode domainLabel regionCode regionLabel limitCode "+
		"population band bandLabel bandLowerMsv bandUpperMsv exceedanceMonth confirmedOn")
	// An intervention of an outside company's worker is administrative data
	// of that worker's employment, seen from the host site too.
	set("Query", c(catEmploy), "interventions")
	set("Intervention", c(catEmploy), "id createdAt updatedAt workerID siteEstablishmentID contractorEstablishmentID startDate endDate")
	set("Intervention", c(catEmploy, catWorker), "worker")
	set("Intervention", c(catEmploy, catRef), "site contractor")
	set("Mutation", c(catIntervene), "declareIntervention endIntervention")
	// The employer's dose constraints (R.4451-33): the establishment's adviser
	// and correspondent set them; its physician and control agent read them.
	set("Query", c(catConstrain), "doseConstraints")
	set("DoseConstraint", c(catConstrain), "id createdAt updatedAt establishmentID jobCode limitCode annualUsv annualMsv "+
		"validFrom validTo setByID setByName endedByID endedByName comment")
	set("DoseConstraint", c(catConstrain, catRef), "establishment")
	set("DoseConstraintEntry", c(catConstrain), "limit jobCode annualUsv annualMsv limitMsv isDefault constraint")
	set("Mutation", c(catConstrW, catConstrain), "setDoseConstraint endDoseConstraint")
	set("Mutation", c(catSubmitLab), "submitLabResults")
	set("Mutation", c(catDeclare), "submitDeclarations")
	set("Mutation", c(catSubmitOp), "submitOperationalDoses")
	set("Mutation", c(catSubmitAny), "submitFile")
	set("Mutation", c(catCorrect), "correctDose addDose")
	set("Query", c(catConflict), "doseConflicts")
	set("Mutation", c(catResolve, catConflict), "resolveDoseConflict")
	set("DoseConflict", c(catConflict), "id createdAt updatedAt workerID establishmentID laboratoryID correctionID resendID "+
		"status resolvedByID resolvedAt resolutionReason")
	set("DoseConflict", c(catConflict, catWorker), "worker")
	set("DoseConflict", c(catConflict, catRef), "establishment laboratory")
	set("DoseConflict", c(catConflict, catDose), "correction resend")
	set("DoseConflict", c(catConflict, catCore), "resolvedBy")
	set("ImportReport", c(catReport), "reference format status dryRun replayed rowsTotal rowsAccepted rowsRejected "+
		"problems problemCount warningCount anomaliesRaised constraintNoticesRaised workersCreated employmentsCreated")
	set("ImportReport", c(catReport, catBatch), "batch")
	set("ImportReport", c(catReport, catReportVal), "doseClasses")
	set("ImportProblem", c(catReport), "line column value severity code message")
	set("DoseClassCount", c(catReport, catReportVal), "class label count")
	set("LimitStatus", c(catStatus), "limitCode label limitMsv state windowStart windowEnd")
	set("LimitStatus", c(catStatus, catSumSeen), "valueMsv share")
	set("Query", c(catStatus), "limitAlerts")
	set("LimitAlert", c(catStatus), "limitCode label state limitMsv windowStart windowEnd")
	set("LimitAlert", c(catStatus, catSumSeen), "valueMsv")
	set("LimitAlert", c(catStatus, catWorker), "worker")
	set("LimitAlertList", c(catStatus), "totalCount edges pageInfo")
	set("MonthlyDose", c(catDose), "month monitoringKind quantity records")
	set("MonthlyDose", c(catDose, catDoseValue), "valueMsv")
	set("Worker", c(catWorker, catStatus), "exposure")
	set("Worker", c(catWorker, catDose), "doseHistory")
	set("ContextStats", c(catStats), "sectorCode sectorLabel jobCode jobLabel monitoringKind periodMonths doses "+
		"nonZeroDoses meanMsv medianMsv p90Msv p99Msv")

	set("Mutation", c(catSession), "login logout switchRole activateAccount")
	set("Query", c(catSession), "activation")
	set("Mutation", c(catSession), "beginTotpEnrolment confirmTotpEnrolment verifySecondFactor regenerateRecoveryCodes")
	// A person's own e-mail notification settings (not a partner key's).
	set("Query", c(catSession), "notificationSettings")
	set("Mutation", c(catSession), "setNotificationSetting")
	set("NotificationSetting", c(catSession), "kind mode isDefault")
	// The sign-in providers: public (an anonymous caller may ask for them alone).
	set("Query", c(catSession), "signInProviders")
	set("SignInProvider", c(catSession), "name label audience loginPath")
	set("Mutation", c(catClaimCode), "issueWorkerClaimCode")
	set("WorkerClaimCodePayload", c(catClaimCode), "workerID code expiresAt")
	set("Mutation", c(catEstWrite), "createEstablishment updateEstablishment")
	set("Mutation", c(catDeclare), "createWorker updateWorker createEmployment updateEmployment "+
		"createDosimeter updateDosimeter createDosimeterAssignment updateDosimeterAssignment")
	set("Mutation", c(catAdminW), "createAccount updateAccount createGrant createApiKey revokeApiKey resetSecondFactor "+
		"inviteAccount reissueActivation createCompany updateCompany createLaboratory updateLaboratory importNomenclature")
	set("Mutation", c(catRevoke), "revokeGrant")
	set("Mutation", c(catDelegate), "createDelegation")
	set("Mutation", c(catAnomalyW), "acknowledgeAnomaly resolveAnomaly")

	// Live streams carry the rows of their types: findings, and the news that
	// a worker's results changed (itself dosimetric information).
	set("Subscription", c(catAnomaly), "anomalyRaised anomalyUpdated")
	set("Subscription", c(catWorker, catDose), "exposureChanged")
	set("AnomalyEvent", c(catAnomaly), "cursor anomaly")

	set("Viewer", c(catCore), "account roles grants activeRole secondFactor totpEnabled recoveryCodesLeft signedInWith")
	set("TotpEnrolment", c(catCore), "otpauthURL qrCode secret")
	set("ViewerGrant", c(catCore), "role validFrom validTo establishmentID workerID laboratoryID region")
	set("LoginPayload", c(catCore), "token expiresAt account")
	set("CreatedApiKey", c(catAdminW), "key apiKey")
	set("Invitation", c(catAdminW), "account activationLink expiresAt")
	set("NomenclatureImport", c(catAdminW), "version validFrom domains sectors jobs")
	set("Activation", c(catCore), "displayName email")
	set("IdentityCheck", c(catIdCheck), "matches")

	set("Account", c(catCore), "id createdAt updatedAt email displayName rpps workerID active demo lastLoginAt")
	set("Account", c(catCore, catWorker, catAccWorker), "worker")
	set("Account", c(catCore, catRights), "grants")
	set("Account", c(catCore, catRights, catAdminW), "apiKeys")
	set("Grant", c(catRights), "id createdAt updatedAt accountID role establishmentID companyID workerID laboratoryID "+
		"region delegatedFromID validFrom validTo revokedAt delegatedFrom delegations")
	set("Grant", c(catRights, catCore), "account")
	set("Grant", c(catRights, catRef), "establishment company laboratory")
	set("Grant", c(catRights, catWorker, catGrantWkr), "worker")
	set("ApiKey", c(catRights), "id createdAt updatedAt name prefix profile accountID grantID rateLimitPerMinute "+
		"expiresAt revokedAt lastUsedAt grant")
	set("ApiKey", c(catRights, catCore), "account")

	set("Company", c(catRef), "id createdAt updatedAt siren name establishments")
	set("Establishment", c(catRef), "id createdAt updatedAt siret name address postalCode city region nafCode "+
		"domainCode companyID closedAt company")
	set("Establishment", c(catRef, catRefEdges, catEmploy), "employments")
	set("Establishment", c(catRef, catRefEdges, catDosimeter), "dosimeters")
	set("Establishment", c(catRef, catRefEdges, catDose), "doseRecords")
	set("Establishment", c(catRef, catRefEdges, catOpDose), "operationalDoses")
	set("Laboratory", c(catRef), "id createdAt updatedAt code name siret accreditation accreditationBody accreditationScope "+
		"accreditationValidFrom accreditationValidTo active")
	set("Laboratory", c(catRef, catRefEdges, catDosimeter, catFleet), "dosimeters")
	set("Laboratory", c(catRef, catRefEdges, catDose), "doseRecords")
	set("Nomenclature", c(catRef), "id createdAt updatedAt kind version code label parentCode validFrom validTo")

	set("Worker", c(catWorker), "id createdAt updatedAt sex birthYear")
	set("Worker", c(catWorker, catIdentity), "identifierKind nir temporaryID foreignID foreignCountry lastName usageName firstNames "+
		"birthDate birthPlace birthCountry")
	set("Worker", c(catWorker, catPseudonym), "pseudonym")
	set("Worker", c(catWorker, catEmploy), "employments")
	set("Worker", c(catWorker, catDose), "doseRecords")
	set("Worker", c(catWorker, catOpDose), "operationalDoses")
	set("Worker", c(catWorker, catDosimeter), "assignments")
	set("Worker", c(catWorker, catStatus), "exposureSummaries")
	set("Worker", c(catWorker, catAnomaly), "anomalies")

	set("Employment", c(catEmploy), "id createdAt updatedAt workerID establishmentID startDate endDate contractType "+
		"workFraction nomenclatureVersion sectorCode jobCode classification monitoringKinds")
	set("Employment", c(catEmploy, catPregnancy), "pregnancyDeclaredOn pregnancyEndedOn")
	set("Employment", c(catEmploy, catWorker), "worker")
	set("Employment", c(catEmploy, catRef), "establishment")

	set("DoseRecord", c(catDose), "id workerID establishmentID laboratoryID importBatchID recordedByID supersedesID "+
		"source monitoringKind quantity status periodStart periodEnd sectorCode jobCode version current supersededAt "+
		"receivedAt receivedOn pending supersedes supersededBy")
	set("DoseRecord", c(catDose, catDoseValue), "valueUsv valueMsv")
	set("DoseRecord", c(catDose, catInternal), "radionuclide")
	set("DoseRecord", c(catDose, catSerial), "dosimeterSerial")
	set("DoseRecord", c(catDose, catDoseText), "comment")
	// A physician's reason for a correction is traced in the medical file
	// (DOMAIN §1.3, correction row): the worker and the medical team; the
	// adviser and the control agent read the corrected value, not why.
	set("DoseRecord", c(catDose, catCorrWhy), "correctionReason")
	set("DoseRecord", c(catDose, catWorker), "worker")
	set("DoseRecord", c(catDose, catRef), "establishment laboratory")
	set("DoseRecord", c(catDose, catBatch), "importBatch")
	set("DoseRecord", c(catDose, catCore, catRecorder), "recordedBy")
	set("DoseRecord", c(catDose, catAnomaly), "anomalies")

	set("OperationalDose", c(catOpDose), "id workerID establishmentID importBatchID supersedesID startAt endAt "+
		"valueUsv valueMsv version current supersededAt receivedAt supersedes supersededBy")
	set("OperationalDose", c(catOpDose, catOpSerial), "dosimeterSerial")
	set("OperationalDose", c(catOpDose, catWorker), "worker")
	set("OperationalDose", c(catOpDose, catRef), "establishment")
	set("OperationalDose", c(catOpDose, catBatch), "importBatch")

	set("ExposureSummary", c(catStatus), "id createdAt updatedAt workerID limitCode windowStart windowEnd "+
		"limitUsv limitMsv status records")
	set("ExposureSummary", c(catStatus, catSum), "sumUsv sumMsv")
	set("ExposureSummary", c(catStatus, catWorker), "worker")

	set("Anomaly", c(catAnomaly), "id createdAt updatedAt workerID establishmentID layer kind periodStart periodEnd status "+
		"severity acknowledgedByID acknowledgedAt resolvedByID resolvedAt")
	set("Anomaly", c(catAnomaly, catAnomalyV), "score explanation reference")
	set("Anomaly", c(catAnomaly, catAnomalyT), "resolutionComment")
	set("Anomaly", c(catAnomaly, catWorker), "worker")
	set("Anomaly", c(catAnomaly, catRef), "establishment")
	set("Anomaly", c(catAnomaly, catAnomalyV, catDose), "doseRecords")
	set("Anomaly", c(catAnomaly, catAnomalyV, catAnomalyT, catCore), "acknowledgedBy resolvedBy")
	set("Anomaly", c(catAnomaly, catAnomalyV), "batchFindingID")
	set("Anomaly", c(catAnomaly, catBatchFind), "batchFinding")

	set("Query", c(catBatchFind), "batchFindings")
	set("BatchFinding", c(catBatchFind), "id createdAt updatedAt importBatchID laboratoryID kind contextKey contextLabel "+
		"monitoringKind sectorCode periodMonths direction pValue statistics explanation status")
	set("BatchFinding", c(catBatchFind, catRef), "laboratory")
	set("BatchFinding", c(catBatchFind, catBatch), "importBatch")
	set("BatchFinding", c(catBatchFind, catAnomaly, catAnomalyV), "anomalies")
	set("ImportBatch", c(catBatch, catBatchFind), "findings")

	set("Dosimeter", c(catDosimeter), "id createdAt updatedAt serial kind laboratoryID establishmentID retiredAt assignments")
	set("Dosimeter", c(catDosimeter, catRef), "laboratory establishment")
	set("DosimeterAssignment", c(catDosimeter), "id createdAt updatedAt dosimeterID workerID startDate endDate "+
		"bodyPosition dosimeter")
	set("DosimeterAssignment", c(catDosimeter, catWorker), "worker")

	set("ImportBatch", c(catBatch), "id createdAt updatedAt submitterID apiKeyID laboratoryID establishmentID format "+
		"reference filename checksum status rowsTotal rowsAccepted rowsRejected report completedAt")
	set("ImportBatch", c(catBatch, catCore), "submitter")
	set("ImportBatch", c(catBatch, catRights), "apiKey")
	set("ImportBatch", c(catBatch, catRef), "laboratory establishment")
	set("ImportBatch", c(catBatch, catDose), "doseRecords")
	set("ImportBatch", c(catBatch, catOpDose), "operationalDoses")

	set("AuditEvent", c(catAudit), "id seq at actorLabel actorRole action operation fieldPaths objectType")
	set("AuditEvent", c(catAudit, catAuditAll), "actorAccountID actorAPIKeyID grantID objectIds workerIds details prevHash hash")
	return m
}

func has(cats []string, c string) bool {
	for _, x := range cats {
		if x == c {
			return true
		}
	}
	return false
}

func holdsAll(held, need []string) bool {
	for _, c := range need {
		if !has(held, c) {
			return false
		}
	}
	return true
}

// may reports whether the table lets role, through profile when not empty,
// select typ.field. A field missing from the table is refused (and fails
// TestEntitlementTable).
func may(role policy.Role, profile policy.Profile, typ, field string) bool {
	if field == "__typename" || structural(typ) {
		return true
	}
	need, ok := fieldCategories[typ+"."+field]
	if !ok {
		return false
	}
	if !holdsAll(roleCategories[role], need) {
		return false
	}
	return profile == "" || holdsAll(profileCategories[profile], need)
}

func (s *subject) may(typ, field string) bool { return may(s.role, s.profile, typ, field) }

// structural is Relay plumbing and introspection, which carry no data.
func structural(name string) bool {
	return strings.HasPrefix(name, "__") || name == "PageInfo" ||
		strings.HasSuffix(name, "Connection") || strings.HasSuffix(name, "Edge")
}

// liveSchema is the executable schema the handler serves.
func liveSchema() *ast.Schema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{}}).Schema()
}

// dataTypes returns the object types of s that carry data, sorted.
func dataTypes(s *ast.Schema) []*ast.Definition {
	var out []*ast.Definition
	for name, def := range s.Types {
		if def.Kind == ast.Object && !def.BuiltIn && !structural(name) {
			out = append(out, def)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func TestEntitlementTable(t *testing.T) {
	schema := liveSchema()
	t.Run("OK", func(t *testing.T) {
		// Ensure every field of the live schema has a decision in this table,
		// and the table names no field the schema lost.
		seen := map[string]bool{}
		for _, def := range dataTypes(schema) {
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				key := def.Name + "." + f.Name
				seen[key] = true
				if _, ok := fieldCategories[key]; !ok {
					t.Errorf("new field %s: decide who may read it in policy.csv and in this table (graph/accesstest/entitlements_test.go)", key)
				}
			}
		}
		for key := range fieldCategories {
			if !seen[key] {
				t.Errorf("stale entry %s: the schema has no such field any more", key)
			}
		}
		t.Logf("entitlement table: %d fields of %d object types, %d roles and %d profiles (%d role×field decisions)",
			len(fieldCategories), len(dataTypes(schema)), len(roleCategories), len(profileCategories),
			len(fieldCategories)*(len(roleCategories)+len(profileCategories)))
	})
	t.Run("OKEdgesNoWiderThanTargets", func(t *testing.T) {
		// Ensure no edge lets a role reach a type whose id it may not select:
		// an edge needs the categories of its target's rows.
		for _, def := range dataTypes(schema) {
			for _, f := range def.Fields {
				target := strings.TrimSuffix(f.Type.Name(), "Connection")
				td := schema.Types[target]
				if td == nil || td.Kind != ast.Object || structural(target) {
					continue
				}
				if _, ok := fieldCategories[target+".id"]; !ok {
					continue // a type without id (Viewer…): nothing to compare
				}
				for _, r := range policy.Roles {
					if may(r, "", def.Name, f.Name) && !may(r, "", target, "id") {
						t.Errorf("table: %s may select %s.%s but not %s.id", r, def.Name, f.Name, target)
					}
				}
			}
		}
	})
	t.Run("OKAnalystPseudonymised", func(t *testing.T) {
		// Ensure the table itself never gives an analyst or statistics key an identifier.
		for _, f := range []string{"nir", "temporaryID", "foreignID", "lastName", "usageName", "firstNames", "birthDate", "birthPlace"} {
			if may(policy.RoleAnalyst, "", "Worker", f) {
				t.Errorf("table: ANALYST may select Worker.%s", f)
			}
		}
	})
}
