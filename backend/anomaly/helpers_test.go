package anomaly_test

import "github.com/siseri/siseri/ent/doserecord"

func doseStatus(s string) doserecord.Status { return doserecord.Status(s) }
