"""Analysis across assumptions: the détente comparison."""
