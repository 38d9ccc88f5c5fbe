#include <stdio.h>
int main(void) { puts("rebalance: under construction"); return 0; }
