/* no_entry: a shared object that exports nothing, so no entry symbol. */
int no_entry_helper(void);

int no_entry_helper(void) { return 42; }
