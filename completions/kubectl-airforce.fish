complete --keep-order --exclusive --command kubectl-airforce --arguments "(COMPLETE=fish kubectl-airforce -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
