package oidc

import "context"

// VerifyIDToken runs on raw the check the callback runs on the ID token the
// provider named name returned, for the sign-in whose nonce is nonce.
func (s *Service) VerifyIDToken(ctx context.Context, name, raw, nonce string) (*Identity, error) {
	p := s.provider(name)
	op, err := s.discover(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.verify(s.clientContext(ctx), p, op, raw, nonce)
}
