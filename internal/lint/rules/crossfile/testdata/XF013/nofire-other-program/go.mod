module github.com/x/wtf

go 1.26
