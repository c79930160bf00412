module evsim

go 1.26.0
