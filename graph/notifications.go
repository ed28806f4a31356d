package graph

import (
	"context"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"
)

// personOnly refuses API keys: e-mail notifications are a person's.
func personOnly(ctx context.Context) error {
	v := policy.FromContext(ctx)
	if v == nil {
		return errUnauthenticated
	}
	if v.APIKeyID != 0 {
		return apperr.New(apperr.Forbidden, "Une clé d'API ne reçoit pas de courriels : les notifications sont réglées par chaque personne.")
	}
	return nil
}

// notificationSettings lists the signed-in person's settings.
func notificationSettings(ctx context.Context, client *ent.Client) ([]*model.NotificationSetting, error) {
	ss, err := notify.Settings(ctx, client)
	if err != nil {
		return nil, err
	}
	out := make([]*model.NotificationSetting, len(ss))
	for i, s := range ss {
		out[i] = &model.NotificationSetting{Kind: model.NotificationKind(s.Kind), Mode: model.NotificationMode(s.Mode), IsDefault: s.Default}
	}
	return out, nil
}
