package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  []string // substrings of stderr
	}{
		{
			name:     "valid file prints the normalised YAML",
			args:     []string{"testdata/valid/compose.yaml"},
			wantCode: 0,
			wantOut:  []string{"name: valid", "condition: service_healthy", "published: \"8080\"", "dockerfile: Dockerfile"},
		},
		{
			name:     "quiet valid file prints nothing",
			args:     []string{"-q", "testdata/valid/compose.yaml"},
			wantCode: 0,
		},
		{
			name:     "project name flag",
			args:     []string{"-p", "other", "testdata/valid/compose.yaml"},
			wantCode: 0,
			wantOut:  []string{"name: other"},
		},
		{
			name:     "schema violation",
			args:     []string{"testdata/bad-schema.yaml"},
			wantCode: 1,
			wantErr:  []string{"services.app.ports must be a array"},
		},
		{
			name:     "depends on an undefined service",
			args:     []string{"testdata/bad-depends.yaml"},
			wantCode: 1,
			wantErr:  []string{`depends on undefined service "db"`},
		},
		{
			name:     "missing build context",
			args:     []string{"testdata/missing-context.yaml"},
			wantCode: 1,
			wantErr:  []string{"services.app.build.context", "does-not-exist does not exist"},
		},
		{
			name:     "missing Dockerfile",
			args:     []string{"testdata/missing-dockerfile/compose.yaml"},
			wantCode: 1,
			wantErr:  []string{"services.app.build.dockerfile", "Dockerfile.prod does not exist"},
		},
		{
			name:     "missing file",
			args:     []string{"testdata/nope.yaml"},
			wantCode: 1,
			wantErr:  []string{"nope.yaml"},
		},
		{
			name:     "unknown flag",
			args:     []string{"-x"},
			wantCode: 2,
			wantErr:  []string{"usage: composecheck"},
		},
		{
			name:     "the repository's docker-compose.yml",
			args:     []string{"-q", "../../../docker-compose.yml"},
			wantCode: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout does not contain %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr does not contain %q:\n%s", s, stderr.String())
				}
			}
			if tt.wantCode == 0 && len(tt.wantOut) == 0 && stdout.Len() != 0 {
				t.Errorf("stdout should be empty, got:\n%s", stdout.String())
			}
		})
	}
}
