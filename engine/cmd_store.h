/* cmd_store: the therapist's commands on the results store.
 *
 *   rebalance patients                     list them, with their plans
 *   rebalance patients add NAME
 *   rebalance patients remove NAME         (their sessions are kept)
 *   rebalance patients set NAME KEY=VALUE...
 *       language=de, pin=1234, ROUTINE_ID.days=3 (0 unassigns),
 *       ROUTINE_ID.NAME=VALUE (a parameter for param())
 *
 * Exit codes: 0 done, 1 refused (said why), 2 a usage mistake. */
#ifndef RB_CMD_STORE_H
#define RB_CMD_STORE_H

#include "store.h"

#include <stdio.h>

int rb_cmd_patients(rb_store *st, int argc, const char *const *argv, FILE *out);

#endif
