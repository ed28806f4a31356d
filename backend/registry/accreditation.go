package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
)

// checkAccreditation refuses the submissions of a laboratory that is
// deactivated or whose accreditation is not valid today (outside
// [accreditation_valid_from, accreditation_valid_to], both days included; a
// missing bound does not limit). Nothing is written then.
func checkAccreditation(sys context.Context, client *ent.Client, labID int, now time.Time) error {
	lab, err := client.Laboratory.Get(sys, labID)
	if err != nil {
		return fmt.Errorf("find laboratory: %w", err)
	}
	return AccreditationError(lab, now)
}

// AccreditationError returns ACCREDITATION_LAPSED when lab may not submit
// results on the day of now, nil when it may.
func AccreditationError(lab *ent.Laboratory, now time.Time) error {
	const refused = "il ne peut pas envoyer de résultats ; rien n'a été enregistré. Le laboratoire doit faire renouveler son accréditation auprès de l'administrateur du registre."
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	switch {
	case !lab.Active:
		return apperr.New(apperr.AccreditationLapsed, "Le laboratoire %s est désactivé : %s", lab.Name, refused)
	case lab.AccreditationValidTo != nil && today.After(day(*lab.AccreditationValidTo)):
		return apperr.New(apperr.AccreditationLapsed, "L'accréditation du laboratoire %s a expiré le %s : %s",
			lab.Name, lab.AccreditationValidTo.Format("02/01/2006"), refused)
	case lab.AccreditationValidFrom != nil && today.Before(day(*lab.AccreditationValidFrom)):
		return apperr.New(apperr.AccreditationLapsed, "L'accréditation du laboratoire %s ne prend effet que le %s : %s",
			lab.Name, lab.AccreditationValidFrom.Format("02/01/2006"), refused)
	}
	return nil
}
