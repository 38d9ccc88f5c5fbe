#!/usr/bin/env perl
# Routines without a restart: a routine dropped into the routines folder
# of a running kiosk appears on its home screen; a broken one is told to
# the admin (the log, the admin screen's problems) with FILE:LINE and
# never offered. The kiosk runs on the real clock; its scripted input
# waits (WAIT reload) until it has loaded the folder again, so nothing
# here depends on how fast the machine is.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Copy ();
use File::Basename ();
use File::Temp ();
use POSIX ':sys_wait_h';
use Time::HiRes ();

my $work = File::Temp::tempdir(CLEANUP => !$ENV{KEEP});
my $dir = "$work/routines";
mkdir $dir or die $!;
File::Copy::copy(root() . '/scripts/routines/ankle-wall-test.lua', $dir) or die $!;
my $plugins = "$work/plugins";
mkdir $plugins or die $!;
my $built = File::Basename::dirname(bin()) . '/plugins';
File::Copy::copy("$built/knee_to_wall.so", $plugins) or die $!;
my $shots = "$work/shots";
mkdir $shots;
open my $in, '>', "$work/input.txt" or die $!;
print $in "100 SCREENSHOT before\n200 WAIT reload\n200 SCREENSHOT after\n"
  . "300 QUIT\n";
close $in;

my $pid = fork // die "fork: $!";
if ($pid == 0) {
  open STDOUT, '>', "$work/out.txt";
  open STDERR, '>', "$work/err.txt";
  exec bin(), '--headless', '--routines', $dir, '--plugins', $plugins,
    '--state', "$work/state",
    '--input', "$work/input.txt", '--screenshot-dir', $shots;
  exit 127;
}
# waits for a condition, at most $s seconds (a hung coach fails the test)
sub until_true {
  my ($s, $cond) = @_;
  for (1 .. $s * 20) { return 1 if $cond->(); Time::HiRes::sleep(0.05) }
  return 0;
}
ok(until_true(120, sub { -s "$shots/before.png" }), 'the kiosk is up');
# the kiosk is held while the files go in, so it finds every change at
# once when it goes on (one reload, however slow the machine)
kill 'STOP', $pid;
# an editor's save: written beside, then renamed into place
open my $fh, '>', "$dir/.new.lua.swp" or die $!;
print $fh "return routine { id = 'dropped-in', title = 'Dropped in',\n"
  . "  run = function() say('hello') end }\n";
close $fh;
rename "$dir/.new.lua.swp", "$dir/dropped-in.lua" or die $!;
# a plugin, copied in as a package would: beside, then renamed; and a
# file that is no plugin at all
File::Copy::copy("$built/posture_mirror.so", "$plugins/.posture.part") or die $!;
rename "$plugins/.posture.part", "$plugins/posture_mirror.so" or die $!;
open $fh, '>', "$plugins/junk.so" or die $!;
print $fh "not a shared object\n";
close $fh;
open $fh, '>', "$dir/broken.lua" or die $!;
print $fh "return routine { id = 'broken', title = 'Broken',\n  run = function(\n";
close $fh;
kill 'CONT', $pid;
my $done = until_true(120, sub { waitpid($pid, WNOHANG) == $pid });
unless ($done) { kill 'KILL', $pid; waitpid($pid, 0) }
ok($done, 'the kiosk saw the change and went on (did not hang)');
is($? >> 8, 0, 'and ended well');
open my $e, '<', "$work/err.txt";
my $err = do { local $/; <$e> };
like($err, qr/routines: loaded again from \Q$dir\E: 2 offered/,
     'loaded again without a restart: two routines offered');
like($err, qr/not offered: \Q$dir\E\/broken\.lua:\d+: /,
     'the broken one is told with FILE:LINE, not offered');
like($err, qr/plugins: loaded again from \Q$plugins\E: 2 loaded, 1 refused/,
     'a plugin dropped in is loaded without a restart; a junk one refused');
my $d = (split ' ', `${\ File::Basename::dirname(bin())}/tests/pngstat $shots/before.png $shots/after.png`)[4];
ok(defined $d && $d > 1, 'the home screen shows the new routine')
  or diag('difference ' . ($d // 'none'));
done_testing();
