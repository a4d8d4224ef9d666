# Everything here needs only Go.
.PHONY: test run build windows bench

test:
	go test ./...

run:
	go run ./cmd/hocso

build:
	go build -o hocso ./cmd/hocso

windows:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -o hocso.exe ./cmd/hocso

bench:
	go test -run '^$$' -bench . -benchmem ./...
