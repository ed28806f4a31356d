// Package apperr is SISERI's one application error type. Every error a person
// may read is an *Error with a stable Code that clients branch on and a French
// Message written for that person; anything else is shown as an internal error
// and logged.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a stable, English error code carried in GraphQL extensions.code.
type Code string

// The closed set of error codes. Clients branch on these; never rename one.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	ForbiddenField  Code = "FORBIDDEN_FIELD"
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	Conflict        Code = "CONFLICT"
	TooManyRequests Code = "TOO_MANY_REQUESTS"
	Internal        Code = "INTERNAL"
	// ServiceUnavailable: the database cannot be reached; retry later (HTTP 503).
	ServiceUnavailable Code = "SERVICE_UNAVAILABLE"
	// CSRFRefused: a browser request signed in by cookie came from a foreign
	// origin, or a form upload lacked the preflight header (HTTP 403).
	CSRFRefused Code = "CSRF_REFUSED"
	// ConstraintAboveLimit: a dose constraint set above the regulatory limit
	// it constrains.
	ConstraintAboveLimit Code = "CONSTRAINT_ABOVE_LIMIT"
	// TokenInvalid: an activation link unknown, used, replaced or expired (the
	// four are not told apart).
	TokenInvalid Code = "TOKEN_INVALID"
	// SecondFactorRequired: the session was opened by a password for a
	// privileged role and waits for its second factor (a TOTP or recovery
	// code, or the enrolment of a TOTP); nothing else is allowed until then.
	SecondFactorRequired Code = "SECOND_FACTOR_REQUIRED"
	// SecondFactorInvalid: a wrong, expired or already used TOTP or recovery
	// code.
	SecondFactorInvalid Code = "SECOND_FACTOR_INVALID"

	// The OpenID Connect sign-in sends these back to the sign-in page in its
	// query (?erreur=CODE), where the SPA shows their French sentence.

	// OIDCProviderUnknown: no provider of that name is configured.
	OIDCProviderUnknown Code = "OIDC_PROVIDER_UNKNOWN"
	// OIDCProviderUnavailable: the provider's discovery document or token
	// endpoint could not be reached or answered an error.
	OIDCProviderUnavailable Code = "OIDC_PROVIDER_UNAVAILABLE"
	// OIDCProviderDenied: the provider answered the callback with an error
	// (the person cancelled, or the provider refused).
	OIDCProviderDenied Code = "OIDC_PROVIDER_DENIED"
	// OIDCStateInvalid: the callback's state is missing, expired, already
	// used or not that of this browser.
	OIDCStateInvalid Code = "OIDC_STATE_INVALID"
	// OIDCTokenInvalid: the ID token's signature, issuer, audience or expiry
	// failed verification.
	OIDCTokenInvalid Code = "OIDC_TOKEN_INVALID"
	// OIDCNonceMismatch: the ID token does not carry the nonce of this sign-in.
	OIDCNonceMismatch Code = "OIDC_NONCE_MISMATCH"
	// OIDCACRInsufficient: the authentication level (acr) is not one the
	// provider's configuration requires.
	OIDCACRInsufficient Code = "OIDC_ACR_INSUFFICIENT"
	// OIDCNoAccount: no SISERI account is linked to, invited for or (where
	// allowed) has the e-mail of the identity.
	OIDCNoAccount Code = "OIDC_NO_ACCOUNT"
	// OIDCEmailInUse: a worker's account cannot be created because another
	// account has the e-mail the provider asserted.
	OIDCEmailInUse Code = "OIDC_EMAIL_IN_USE"
	// ClaimCodeInvalid: a worker claim code unknown, used or expired, or no
	// sign-in awaits one in this browser.
	ClaimCodeInvalid Code = "CLAIM_CODE_INVALID"
	// AccreditationLapsed: a laboratory submitted results outside the validity
	// of its accreditation (or while deactivated); nothing was written.
	AccreditationLapsed Code = "ACCREDITATION_LAPSED"
)

// Error is an application error. Message is a French sentence for the end user.
// Field and Value locate bad input (a field path such as "input.nir" and the
// offending value); Err keeps the cause for logs.
type Error struct {
	Code    Code
	Message string
	Field   string
	Value   any
	Err     error
}

// Error returns the user message, with the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code c and a French message.
func New(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error naming the field and the offending value.
func Invalid(field string, value any, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Message: fmt.Sprintf(format, args...), Field: field, Value: value}
}

// Wrap returns an error with code c, a French message and the cause err.
func Wrap(err error, c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...), Err: err}
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// CodeOf returns the code of err: its *Error code, or Internal.
func CodeOf(err error) Code {
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}
