package graph

import (
	"context"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/graph/model"
)

// submit runs an import in the mutation's transaction and presents its report.
func (r *Resolver) submit(ctx context.Context, sub ingest.Submission) (*model.ImportReport, error) {
	if r.Importer == nil {
		return nil, errNoIngest
	}
	rep, err := r.Importer.Submit(ctx, sub)
	if err != nil {
		return nil, err
	}
	return r.reportModel(ctx, rep)
}

var errNoIngest = apperr.New(apperr.Internal, "Le service d'import n'est pas configuré.")

// registry is the write path of doses: the importer's, so that every dose
// is judged by the same engine.
func (r *Resolver) registry() (*registry.Registry, error) {
	if r.Importer == nil || r.Importer.Registry == nil {
		return nil, errNoIngest
	}
	return r.Importer.Registry, nil
}

// reportModel presents an import report.
func (r *Resolver) reportModel(ctx context.Context, rep *ingest.Report) (*model.ImportReport, error) {
	out := &model.ImportReport{
		Reference: rep.Reference, Format: model.ImportFormat(rep.Format), Status: importbatch.Status(rep.Status),
		DryRun: rep.DryRun, Replayed: rep.Replayed, RowsTotal: rep.RowsTotal, RowsAccepted: rep.RowsAccepted,
		RowsRejected: rep.RowsRejected, ProblemCount: rep.ProblemCount, WarningCount: rep.WarningCount, AnomaliesRaised: rep.AnomaliesRaised,
		ConstraintNoticesRaised: rep.ConstraintNoticesRaised,
		WorkersCreated:          rep.WorkersCreated, EmploymentsCreated: rep.EmploymentsCreated,
		Problems: make([]*model.ImportProblem, len(rep.Problems)), DoseClasses: make([]*model.DoseClassCount, len(rep.DoseClasses)),
	}
	for i, p := range rep.Problems {
		severity := model.ImportProblemSeverityError
		if p.IsWarning() {
			severity = model.ImportProblemSeverityWarning
		}
		out.Problems[i] = &model.ImportProblem{Line: p.Line, Column: optString(p.Column), Value: optString(p.Value),
			Severity: severity, Code: p.Code, Message: p.Message}
	}
	for i, c := range rep.DoseClasses {
		out.DoseClasses[i] = &model.DoseClassCount{Class: c.Class, Label: c.Label, Count: c.Count}
	}
	if rep.BatchID != 0 {
		b, err := ent.FromContext(ctx).ImportBatch.Get(ctx, rep.BatchID)
		if err != nil && !ent.IsNotFound(err) {
			return nil, err
		}
		out.Batch = b
	}
	return out, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func labRows(rows []*model.LabResultInput) [][]string {
	out := make([][]string, len(rows))
	for i, x := range rows {
		out[i] = []string{x.Nir, x.Nom, x.Prenom, x.DateNaissance, x.Siret, str(x.Dosimetre), x.TypeSuivi, x.Grandeur,
			x.DebutPeriode, x.FinPeriode, x.Resultat, x.Unite, str(x.Radionucleide), str(x.Commentaire), str(x.DateReception)}
	}
	return out
}

func declarationRows(rows []*model.DeclarationInput) [][]string {
	out := make([][]string, len(rows))
	for i, x := range rows {
		out[i] = []string{x.Siret, x.Nir, x.Nom, x.Prenom, x.DateNaissance, x.Sexe, x.DateDebut, str(x.DateFin),
			x.TypeContrat, x.Secteur, x.Metier, x.Categorie}
	}
	return out
}

func operationalRows(rows []*model.OperationalDoseInput) [][]string {
	out := make([][]string, len(rows))
	for i, x := range rows {
		out[i] = []string{x.Nir, x.Nom, x.Prenom, x.Siret, x.Dosimetre, x.Debut, x.Fin, x.Resultat, x.Unite}
	}
	return out
}

func boolOf(p *bool) bool { return p != nil && *p }
