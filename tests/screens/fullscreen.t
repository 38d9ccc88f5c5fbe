#!/usr/bin/env perl
# The kiosk fullscreen under a real X server with no window manager lays
# itself out for the size it really gets: a 720x1280 portrait panel (Touch
# Display 2) and a 1920x1080 screen show the whole screen, not an 800x480
# corner of it. Each run is compared with the same screen drawn headless
# at that size.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);
use Test::More;

sub in_path {
  my $prog = shift;
  for my $d (File::Spec->path) {
    return "$d/$prog" if -x "$d/$prog";
  }
  return undef;
}

plan skip_all => 'xvfb-run and xauth are needed (apt-get install xvfb xauth)'
  unless in_path('xvfb-run') && in_path('xauth');

my $root = File::Spec->rel2abs($ENV{REBALANCE_ROOT}
    // dirname(File::Spec->rel2abs($0)) . '/../..');
my $bin = File::Spec->rel2abs($ENV{REBALANCE_BIN} // "$root/build-asan/rebalance",
  $root);
my $pngstat = dirname($bin) . '/tests/pngstat';
BAIL_OUT("no program at $bin") unless -x $bin;
BAIL_OUT("no $pngstat") unless -x $pngstat;
$ENV{LSAN_OPTIONS} //= "suppressions=$root/tests/lsan.supp:print_suppressions=0"
  if -e "$root/tests/lsan.supp";
delete $ENV{DISPLAY};    # each run gets its own X server of its size

my $work = tempdir('rebalance-full-XXXXXX', TMPDIR => 1, CLEANUP => 1);
open my $fh, '>', "$work/input.txt" or die $!;
print $fh "1500 SCREENSHOT home\n2500 QUIT\n";
close $fh;

sub pngstat {
  open my $p, '-|', $pngstat, @_ or die "$pngstat: $!";
  my @f = split ' ', scalar(<$p> // '');
  close $p;
  return @f;
}

for my $size ('720x1280', '1920x1080') {
  my $x = "$work/x-$size";
  my $h = "$work/h-$size";
  # the kiosk: no --window, no --headless: fullscreen on the X server
  system('xvfb-run', '-a', '-s', "-screen 0 ${size}x24", $bin,
         '--input', "$work/input.txt", '--screenshot-dir', $x,
         '--routines', "$root/scripts/routines", '--state', "$x-state") == 0
    or diag("fullscreen run at $size: exit " . ($? >> 8));
  system($bin, '--headless', '--size', $size, '--input', "$work/input.txt",
         '--screenshot-dir', $h, '--routines', "$root/scripts/routines",
         '--state', "$h-state") == 0
    or diag("headless run at $size: exit " . ($? >> 8));
  my ($w, $ht) = pngstat("$x/home.png");
  is("${\ ($w // '?')}x${\ ($ht // '?')}", $size,
     "fullscreen $size: the window is the screen's size");
  my $d = (pngstat("$x/home.png", "$h/home.png"))[4];
  ok(defined $d && $d < 3,
     "fullscreen $size: the whole screen is drawn as headless draws it")
    or diag('mean difference ' . ($d // 'none'));
}
done_testing();
