module example.com/gists

go 1.26
