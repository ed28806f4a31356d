// Package model holds the GraphQL types that are not Ent entities.
package model
