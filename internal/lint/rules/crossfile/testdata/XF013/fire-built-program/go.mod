module github.com/x/svc

go 1.26
