package policy

import "testing"

// testEnforce checks one decision against the real policy.csv.
func testEnforce(t *testing.T, a *Authorizer, r Role, p Profile, object string, want bool) {
	t.Helper()
	if got := a.Can(r, p, object); got != want {
		t.Errorf("Can(%s, %q, %s) = %v, want %v", r, p, object, got, want)
	}
}

func TestPolicy(t *testing.T) {
	a := MustDefault()
	tests := []struct {
		role    Role
		profile Profile
		object  string
		want    bool
	}{
		// Workers see all their own results, including internal dosimetry.
		{RoleWorker, "", "DoseRecord.valueUsv", true},
		{RoleWorker, "", "DoseRecord.radionuclide", true},
		{RoleWorker, "", "Worker.nir", true},
		{RoleWorker, "", "AuditEvent.actorLabel", true},
		{RoleWorker, "", "AuditEvent.hash", false},
		{RoleWorker, "", "Query.anomalies", false},
		// Physicians see every result and may delegate; delegates see the same.
		{RolePhysician, "", "DoseRecord.radionuclide", true},
		{RolePhysician, "", "Mutation.createDelegation", true},
		{RoleDelegate, "", "DoseRecord.valueUsv", true},
		{RoleDelegate, "", "Mutation.createDelegation", false},
		// Advisers: external results and effective dose, never internal detail.
		{RoleRPA, "", "DoseRecord.valueUsv", true},
		{RoleRPA, "", "DoseRecord.radionuclide", false},
		{RoleRPA, "", "OperationalDose.valueUsv", true},
		{RoleRPA, "", "Anomaly.explanation", true},
		// A correction's reason is in the medical file: the worker and the
		// medical team, not the adviser, control agent or laboratory.
		{RoleRPA, "", "DoseRecord.correctionReason", false},
		{RoleControlAgent, "", "DoseRecord.correctionReason", false},
		{RoleLaboratory, "", "DoseRecord.correctionReason", false},
		{RoleLaboratory, ProfileLaboratorySystem, "DoseRecord.correctionReason", false},
		{RolePhysician, "", "DoseRecord.correctionReason", true},
		{RoleDelegate, "", "DoseRecord.correctionReason", true},
		{RoleWorker, "", "DoseRecord.correctionReason", true},
		{RolePhysician, ProfileOccupationalHealth, "DoseRecord.correctionReason", true},
		{RoleRPA, "", "DoseRecord.comment", true},
		// Employer correspondents: administrative data, never a dose value.
		{RoleEmployer, "", "Worker.nir", true},
		{RoleEmployer, "", "Mutation.createWorker", true},
		{RoleEmployer, "", "DoseRecord.valueUsv", false},
		{RoleEmployer, "", "Query.doseRecords", false},
		{RoleEmployer, "", "ExposureSummary.status", true},
		{RoleEmployer, "", "ExposureSummary.sumUsv", false},
		{RoleEmployer, "", "Anomaly.kind", true},
		{RoleEmployer, "", "Anomaly.explanation", false},
		{RoleEmployer, "", "OperationalDose.valueUsv", false},
		// Laboratories submit and read their submissions; they cannot browse workers.
		{RoleLaboratory, "", "DoseRecord.valueUsv", true},
		{RoleLaboratory, "", "DoseRecord.worker", false},
		{RoleLaboratory, "", "Query.workers", false},
		{RoleLaboratory, "", "Query.checkIdentity", true},
		// Submitters read the severity of each problem of their reports.
		{RoleLaboratory, "", "ImportProblem.severity", true},
		{RoleLaboratory, "", "ImportReport.warningCount", true},
		{RoleEmployer, "", "ImportProblem.severity", true},
		{RoleEmployer, "", "ImportReport.warningCount", true},
		{RoleRPA, "", "ImportProblem.severity", true},
		{RoleLaboratory, ProfileLaboratorySystem, "ImportReport.warningCount", true},
		{RoleWorker, "", "ImportProblem.severity", false},
		{RoleAnalyst, "", "ImportReport.warningCount", false},
		// Control agents: effective dose and external results.
		{RoleControlAgent, "", "DoseRecord.valueUsv", true},
		{RoleControlAgent, "", "DoseRecord.radionuclide", false},
		// Analysts: pseudonymised records, no identity.
		{RoleAnalyst, "", "Worker.pseudonym", true},
		{RoleAnalyst, "", "Worker.birthYear", true},
		{RoleAnalyst, "", "Worker.nir", false},
		{RoleAnalyst, "", "Worker.lastName", false},
		{RoleAnalyst, "", "Worker.birthDate", false},
		{RoleAnalyst, "", "Employment.pregnancyDeclaredOn", false},
		// Administrators: accounts, grants, keys, nomenclatures; no dose values.
		{RoleAdmin, "", "Mutation.createApiKey", true},
		{RoleAdmin, "", "AuditEvent.hash", true},
		{RoleAdmin, "", "DoseRecord.valueUsv", false},
		{RoleAdmin, "", "ExposureSummary.sumUsv", false},
		{RoleAdmin, "", "Query.doseRecords", false},
		// The ministry of labour (DGT) reads the anonymous notices of confirmed
		// exceedances and nothing nominative; analysts read the notices too.
		{RoleLabourMinistry, "", "Query.exceedanceNotices", true},
		{RoleLabourMinistry, "", "ExceedanceNotice.bandLabel", true},
		{RoleLabourMinistry, "", "ExceedanceNotice.regionCode", true},
		{RoleLabourMinistry, "", "Query.workers", false},
		{RoleLabourMinistry, "", "Query.anomalies", false},
		{RoleLabourMinistry, "", "Worker.lastName", false},
		{RoleLabourMinistry, "", "DoseRecord.valueUsv", false},
		{RoleAnalyst, "", "ExceedanceNotice.band", true},
		{RolePhysician, "", "Query.exceedanceNotices", false},
		{RoleControlAgent, "", "Query.exceedanceNotices", false},
		{RoleEmployer, "", "ExceedanceNotice.band", false},
		{RoleAdmin, "", "Query.exceedanceNotices", false},
		// Interventions of outside companies' workers: the host site's
		// correspondent or adviser declares them; read like employments.
		{RoleEmployer, "", "Mutation.declareIntervention", true},
		{RoleRPA, "", "Mutation.endIntervention", true},
		{RolePhysician, "", "Mutation.declareIntervention", false},
		{RoleLaboratory, "", "Query.interventions", false},
		{RoleAnalyst, "", "Intervention.worker", true},
		// Dose constraints: the establishment's adviser and correspondent set
		// them; the physician and the control agent read them too; the
		// notices of constraints crossed are read like the anomalies.
		{RoleRPA, "", "Mutation.setDoseConstraint", true},
		{RoleEmployer, "", "Mutation.endDoseConstraint", true},
		{RolePhysician, "", "Mutation.setDoseConstraint", false},
		{RoleControlAgent, "", "Mutation.setDoseConstraint", false},
		{RolePhysician, "", "Query.doseConstraints", true},
		{RoleControlAgent, "", "DoseConstraintEntry.annualMsv", true},
		{RoleWorker, "", "Query.doseConstraints", false},
		{RoleLaboratory, "", "DoseConstraint.annualUsv", false},
		{RoleRPA, "", "Query.doseConstraintNotices", true},
		{RoleControlAgent, "", "Query.doseConstraintNotices", false},
		// Partner profiles narrow their role.
		{RolePhysician, ProfileOccupationalHealth, "DoseRecord.valueUsv", true},
		{RolePhysician, ProfileOccupationalHealth, "Anomaly.explanation", false},
		{RolePhysician, ProfileOccupationalHealth, "Worker.employments", false},
		{RoleLaboratory, ProfileLaboratorySystem, "ImportBatch.report", true},
		{RoleLaboratory, ProfileLaboratorySystem, "Worker.nir", false},
		{RoleAnalyst, ProfileStatistics, "Worker.pseudonym", true},
		{RoleAnalyst, ProfileStatistics, "Worker.nir", false},
		// A profile never widens its role.
		{RoleEmployer, ProfileOccupationalHealth, "DoseRecord.valueUsv", false},
		// Unknown objects are denied to everyone.
		{RoleAdmin, "", "Worker.salary", false},
		{RoleAdmin, "", "", false},
	}
	for _, tc := range tests {
		testEnforce(t, a, tc.role, tc.profile, tc.object, tc.want)
	}
}

func TestPolicyFieldsInOneGroup(t *testing.T) {
	// Ensure Load refuses a field placed in two groups.
	_, err := Load(modelConf, "g, Worker.nir, worker:identity\ng, Worker.nir, worker:profile\n")
	if err == nil {
		t.Fatal("Load accepted a field in two groups")
	}
}

func BenchmarkCan(b *testing.B) {
	a := MustDefault()
	b.Run("memoised", func(b *testing.B) {
		for b.Loop() {
			a.Can(RoleRPA, "", "DoseRecord.valueUsv")
		}
	})
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			_, _ = a.enf.Enforce("role:RADIATION_PROTECTION_ADVISER", "DoseRecord.valueUsv", ActionRead)
		}
	})
}
