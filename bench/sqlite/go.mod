module dossier/bench/sqlite

go 1.26.0

require (
	github.com/mattn/go-sqlite3 v1.14.53
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

require (
	dossier v0.0.0
	golang.org/x/crypto v0.58.0
)

replace dossier => ../..

replace go.etcd.io/bbolt => ../../third_party/bbolt
