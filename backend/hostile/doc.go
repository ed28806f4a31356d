// Package hostile holds TestHostile, the hostile-request test of issue 12: it
// builds the siseri binary, serves a fresh PostgreSQL database seeded with the
// demo data, and replays over real HTTP what an outside prober sent (costly
// aliases, nodes with 50,000 ids, cross-site uploads, schema probing, account
// enumeration, malformed requests, a database outage) while it watches the
// server's memory. It has no code of its own.
package hostile
