/* kiosk: the admin screen's hands (rb_admin_port in screen.h) on the
 * running kiosk: patients in the results store, volume and brightness
 * (kept in STATE/admin.conf across restarts), export to a USB stick,
 * the problems of routines, plugins and the store, the recent log,
 * restart (systemd starts the coach again) and power off. */
#ifndef RB_KIOSK_H
#define RB_KIOSK_H

#include "catalog.h"
#include "config.h"
#include "plugins.h"
#include "screen.h"
#include "sound.h"
#include "store.h"

typedef struct rb_kiosk rb_kiosk;

typedef struct {
  const rb_config *config; /* admin_pin, export_names; NULL: no PIN */
  rb_store *store;         /* NULL: no patients, no export */
  const rb_plugins *plugins;
  rb_sound *sound; /* NULL: no volume */
  int volume;      /* at start (the settings'), 0-100 */
  int brightness;  /* at start, 0-100; -1: there is no backlight */
  void *ud;
  /* The routines on offer now (they may be loaded again). */
  const rb_catalog *(*catalog)(void *ud);
  /* Sets the backlight; NULL when there is none. */
  void (*set_brightness)(void *ud, int percent);
  /* Ends the program (restart: systemd starts it again). */
  void (*quit)(void *ud);
  /* A patient was added, removed or changed: what the screens show of
   * them is read again. May be NULL. */
  void (*changed)(void *ud);
} rb_kiosk_opts;

/* Reads the kept volume and brightness and applies them. NULL only when
 * out of memory. */
rb_kiosk *rb_kiosk_new(const rb_kiosk_opts *o);
void rb_kiosk_free(rb_kiosk *k);
/* The plugins loaded again (their problems, the reports' norms). */
void rb_kiosk_set_plugins(rb_kiosk *k, const rb_plugins *plugins);
rb_admin_port rb_kiosk_port(rb_kiosk *k);
/* The brightness the admin chose (-1: no backlight): the level idle
 * dimming returns to. */
int rb_kiosk_brightness(const rb_kiosk *k);

#endif
