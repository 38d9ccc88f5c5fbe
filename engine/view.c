#include "view.h"

bool rb_view_is_question(const rb_view *v) {
  return v->kind == RB_VIEW_ASK || v->kind == RB_VIEW_SCALE ||
         v->kind == RB_VIEW_MEASURE;
}
