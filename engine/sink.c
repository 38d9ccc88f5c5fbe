#include "sink.h"

const char *rb_end_status_name(rb_end_status st) {
  switch (st) {
  case RB_END_COMPLETED:
    return "completed";
  case RB_END_STOPPED:
    return "stopped";
  case RB_END_ERROR:
    return "error";
  default:
    return "none";
  }
}
