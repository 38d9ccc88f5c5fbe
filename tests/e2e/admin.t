#!/usr/bin/env perl
# The admin screen as a clinic uses it, headless with scripted input:
# closed without a PIN, the PIN pad (a wrong PIN, then the right one), a
# patient added on the on-screen keyboard and given a plan, export to a
# USB stick (a mounts table naming a folder), the long press in the
# top-left corner (and a short one that opens nothing), never over a
# running routine. Screenshots at 800x480 and 720x1280.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp ();

my $work = File::Temp::tempdir(CLEANUP => 1);
my $keep = $ENV{REBALANCE_SCREENSHOTS} // root() . '/build-asan/screenshots';

sub conf {
  my ($pin) = @_;
  my $f = "$work/rb-$pin.conf";
  open my $fh, '>', $f or die $!;
  print $fh "admin_pin = $pin\n" if length $pin;
  close $fh;
  return $f;
}

sub patients {
  my ($state) = @_;
  return run_rebalance(args => ['patients', '--state', $state],
                       no_timeline => 1)->{stdout};
}

# --- no PIN: closed, says how, and goes ---------------------------------------
{
  my $shots = "$work/closed";
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', conf(''),
             '--state', "$work/s0", '--screenshot-dir', $shots],
    input => "100 BACK_LONG\n200 SCREENSHOT admin-closed\n300 PRIMARY\n"
      . "400 SCREENSHOT after\n");
  is($r->{status}, 0, 'no PIN: runs') or diag($r->{stderr});
  like($r->{stderr}, qr/admin screen opened/, 'no PIN: BACK held opens it');
  ok(-s "$shots/admin-closed.png" && -s "$shots/after.png", 'no PIN: drawn');
}

# --- the whole way through, at two sizes --------------------------------------
for my $size ('800x480', '720x1280') {
  my ($W, $H) = split /x/, $size;
  my $portrait = $H > $W;
  my $state = "$work/s-$size";
  my $shots = "$work/shots-$size";
  my $stick = "$work/stick-$size";
  mkdir $stick;
  open my $m, '>', "$work/mounts-$size" or die $!;
  print $m "/dev/sda1 / ext4 rw 0 0\n/dev/sdz1 $stick vfat rw 0 0\n";
  close $m;
  # where the pages put things (engine/screen_admin.c): the frame's Back
  # top right; menu tiles 4 x 2 (2 x 4 in portrait) under it
  # base pixels scaled as engine/ui.c does (800x480, or 480x800 upright)
  my ($bw0, $bh0) = $portrait ? (480, 800) : (800, 480);
  my $k = $W / $bw0 < $H / $bh0 ? $W / $bw0 : $H / $bh0;
  my $px = sub { int($_[0] * $k + 0.5) };
  my $mg = $px->(16); my $hh = $px->(76); my $gap = $px->(12);
  my $back = sprintf '%d %d', $W - $mg - $px->(100), $mg + $hh / 2;
  my $bx = $mg; my $by = $mg + $hh + $gap;
  my $bw = $W - 2 * $mg; my $bh = $H - 2 * $mg - $hh - $gap;
  my ($cols, $rows) = $portrait ? (2, 4) : (4, 2);
  my $tile = sub {
    my ($i) = @_;
    my $w = int(($bw - ($cols - 1) * $gap) / $cols);
    my $h = int(($bh - ($rows - 1) * $gap) / $rows);
    return sprintf '%d %d', $bx + ($i % $cols) * ($w + $gap) + $w / 2,
      $by + int($i / $cols) * ($h + $gap) + $h / 2;
  };
  # Add a patient: bottom right (landscape) or across the foot (portrait)
  my $add = sprintf '%d %d', $W - $mg - $px->(60), $H - $mg - $px->(40);
  # the plan's first "+": the first row's lower half, left of the page
  # arrows; rows share what the Remove button and the message leave
  my $per = $portrait ? 5 : 2;
  my $rowsh = $bh - ($portrait ? 2 : 1) * ($px->(80) + $gap);
  my $rowh = int(($rowsh - ($per - 1) * $gap) / $per);
  my @routines = glob(root() . '/scripts/routines/*.lua');
  my $arrows = @routines > $per ? $px->(110) + $gap : 0;
  my $plus = sprintf '%d %d', $W - $mg - $arrows - $px->(45),
    $by + int($rowh * 3 / 4);
  my $input = join '', map { "$_\n" }
    '100 BACK_LONG', '200 SCREENSHOT admin-pin',
    '300 DIGIT 1', '310 NEXT', '400 SCREENSHOT admin-pin-wrong',
    '500 DIGIT 4', '510 DIGIT 7', '520 DIGIT 1', '530 DIGIT 1', '540 NEXT',
    '600 SCREENSHOT admin-menu',
    '700 TAP ' . $tile->(0), '800 SCREENSHOT admin-patients',
    "900 TAP $add", '1000 ANSWER key:C', '1010 ANSWER key:y',
    '1100 SCREENSHOT admin-add', '1200 NEXT',
    "1300 TAP $plus", "1310 TAP $plus", '1400 SCREENSHOT admin-plan',
    "1500 TAP $back", "1600 TAP $back",
    '1700 TAP ' . $tile->(1), '1800 SCREENSHOT admin-sound', "1900 TAP $back",
    '2000 TAP ' . $tile->(2), '2100 NEXT', '2110 TAP 300 300',
    '2200 SCREENSHOT admin-test', "2300 TAP $back",
    '2400 TAP ' . $tile->(3), '2500 SCREENSHOT admin-export',
      '2600 TAP ' . sprintf('%d %d', $W / 2, $H - $mg - $px->(40)),
    '2650 WAIT export',
    '2700 SCREENSHOT admin-exported', "2800 TAP $back",
    '2900 TAP ' . $tile->(4), '3000 SCREENSHOT admin-problems', "3100 TAP $back",
    '3200 TAP ' . $tile->(5), '3300 SCREENSHOT admin-log', "3400 TAP $back",
    '3500 TAP ' . $tile->(6), '3600 SCREENSHOT admin-power', "3700 TAP $back",
    "3800 TAP $back", '3900 SCREENSHOT admin-home';
  local $ENV{REBALANCE_MOUNTS} = "$work/mounts-$size";
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--size', $size, '--config',
             conf('4711'), '--state', $state, '--screenshot-dir', $shots],
    input => $input);
  is($r->{status}, 0, "$size: runs") or diag($r->{stderr});
  for my $n (qw(pin pin-wrong menu patients add plan sound test export
                exported problems log power home)) {
    ok(-s "$shots/admin-$n.png", "$size: admin-$n drawn");
  }
  like(patients($state), qr/^Cy\b.*2 days a week/ms,
       "$size: Cy added on the keyboard, an exercise twice a week");
  my @dirs = glob("$stick/rebalance-*");
  is(scalar @dirs, 1, "$size: export made a folder on the stick");
  ok(@dirs && -s "$dirs[0]/results.csv" && -s "$dirs[0]/results-fhir.json",
     "$size: with the CSV and the FHIR Bundle");
  my @reports = @dirs ? glob("$dirs[0]/report-Cy-*.pdf") : ();
  is(scalar @reports, 1, "$size: and Cy's report");
  like($r->{stderr}, qr/export to USB: saved in \Q$stick\E/, "$size: export logged");
  system('mkdir', '-p', $keep);
  system("cp $shots/admin-*.png $keep/ 2>/dev/null");
  for my $f (glob("$keep/admin-*.png")) {
    next if $f =~ /-\d+x\d+\.png$/;
    (my $to = $f) =~ s/\.png$/-$size.png/;
    rename $f, $to;
  }
}

# --- five wrong PINs: the pad rests, and closing the screen does not help ---------
{
  my $wrong = join '', map { my $t = 1000 + 100 * $_; "$t DIGIT 9\n${\ ($t + 50)} NEXT\n" } 0 .. 4;
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', conf('4711'),
             '--state', "$work/s3"],
    input => "100 BACK_LONG\n$wrong"
      . "2000 BACK\n2100 BACK_LONG\n2200 DIGIT 4\n2210 DIGIT 7\n"
      . "2220 DIGIT 1\n2230 DIGIT 1\n2240 NEXT\n"
      . "40000 DIGIT 4\n40010 DIGIT 7\n40020 DIGIT 1\n40030 DIGIT 1\n"
      . "40040 NEXT\n");
  like($r->{stderr}, qr/5 wrong PINs: the pad rests 30 s/,
       'PIN: five wrong ones rest the pad, said in the log');
  unlike($r->{stderr}, qr/4711/, 'PIN: the PIN itself is never logged');
  my @opened = $r->{stderr} =~ /opened with the PIN/g;
  is(scalar @opened, 1,
     'PIN: closed and opened again it still rests; after 30 s it opens');
}

# --- the top-left corner -------------------------------------------------------
{
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', conf('4711'),
             '--state', "$work/s1"],
    input => "100 TAP 10 10\n600 RELEASE 10 10\n5000 TAP 10 10\n"
      . "7500 RELEASE 10 10\n");
  my @opened = $r->{stderr} =~ /admin screen opened/g;
  is(scalar @opened, 1,
     'corner: a half-second touch opens nothing, two seconds held opens it');
}

# --- never over a running routine ------------------------------------------------
{
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', conf('4711'),
             '--state', "$work/s2", '--routine', 'doorway-chest-stretch'],
    input => "100 NEXT\n200 BACK_LONG\n300 STOP\n400 NEXT\n500 NEXT\n");
  unlike($r->{stderr}, qr/admin screen opened/,
         'a routine running: BACK held does not open the admin screen');
}

done_testing();
