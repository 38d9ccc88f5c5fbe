#!/usr/bin/env perl
# Power cuts: 200 real sessions (on the real clock, answers coming from a
# script) killed with SIGKILL at random moments, four at a time, all
# keeping to one results store. Afterwards the database passes
# PRAGMA integrity_check; every session that ended before its kill is
# there whole; every one cut off is found at the next start and marked
# unfinished, its events a gap-free beginning of a session; nothing is
# duplicated. (Not a timing test: where the kills land does not matter,
# only that nothing they cut is lost or half-written.)
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);
use Test::More;

my $py = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';
plan skip_all => 'python3 is needed to read the database'
  unless system("$py -c 'import sqlite3' 2>/dev/null") == 0;

my $RUNS = $ENV{REBALANCE_POWERCUT_RUNS} // 200;
my $root = root();
my $bin = bin();
my $state = File::Temp::tempdir(CLEANUP => 1);
my $work = File::Temp::tempdir(CLEANUP => 1);
open my $in, '>', "$work/input.txt" or die $!;
printf $in "%d ANSWER Yes\n", 100 + $_ * 25 for 1 .. 20;
close $in;
$ENV{ASAN_OPTIONS} = ($ENV{ASAN_OPTIONS} // '') . ':detect_leaks=0';
srand(20261128);

sub start {
  my $n = shift;
  my $pid = fork // die "fork: $!";
  if (!$pid) {
    open STDOUT, '>', '/dev/null';
    open STDERR, '>', '/dev/null';
    exec $bin, '--headless', '--state', $state, '--routine',
      "$root/tests/fixtures/powercut.lua", '--param', "run=$n", '--input',
      "$work/input.txt";
    exit 127;
  }
  return $pid;
}

# The whole thing once, not killed: how many events a whole session has.
{
  my $pid = start(0);
  waitpid $pid, 0;
  is($? >> 8, 0, 'an uncut session completes');
}

my (%ended, %killed);
my %live;    # pid -> [run, kill time]
my $next = 1;
while ($next <= $RUNS || %live) {
  while ($next <= $RUNS && keys %live < 4) {
    $live{ start($next) } = [$next, time + rand(0.9)];
    $next++;
  }
  sleep 0.005;
  for my $pid (keys %live) {
    my ($n, $at) = @{ $live{$pid} };
    if (waitpid($pid, WNOHANG) == $pid) {
      if (($? & 127) == 9) { $killed{$n} = 1 }
      else                 { $ended{$n} = $? >> 8 }
      delete $live{$pid};
    } elsif (time >= $at) {
      kill 'KILL', $pid;
    }
  }
}
diag(sprintf '%d runs: %d ended by themselves, %d killed', $RUNS,
     scalar keys %ended, scalar keys %killed);
ok(keys(%killed) >= $RUNS / 4, 'most runs were cut off');

# The next start finds what was cut off.
my $r = run_rebalance(args => ['patients', '--state', $state], no_timeline => 1);
is($r->{status}, 0, 'the store opens after it all');

open my $q, '>', "$work/check.py" or die $!;
print $q <<'PY';
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
out = {"integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
       "sessions": []}
for sid, uuid, status in db.execute("SELECT id, uuid, status FROM sessions"):
    seqs = [r[0] for r in db.execute(
        "SELECT seq FROM events WHERE session_id=? ORDER BY seq", (sid,))]
    names = [r[0] for r in db.execute(
        "SELECT event FROM events WHERE session_id=? ORDER BY seq", (sid,))]
    run = db.execute("SELECT value FROM results WHERE session_id=? AND "
                     "key='run'", (sid,)).fetchone()
    out["sessions"].append({"uuid": uuid, "status": status, "seqs": seqs,
                            "last": names[-1] if names else "",
                            "run": json.loads(run[0]) if run else None})
print(json.dumps(out))
PY
close $q;
my $got = JSON::PP::decode_json(`$py $work/check.py $state/rebalance.db`);
is($got->{integrity}, 'ok', 'PRAGMA integrity_check is ok');
my @s = @{ $got->{sessions} };
my ($whole) = grep { defined $_->{run} && $_->{run} == 0 } @s;
my $full = $whole ? scalar @{ $whole->{seqs} } : 0;
ok($full > 40, "a whole session has its $full events");
my (%runs, $gaps, $running, $bad_end, $bad_cut, $lost);
for my $x (@s) {
  my @q = @{ $x->{seqs} };
  $gaps++ if grep { $q[$_] != $_ } 0 .. $#q;
  $running++ if $x->{status} eq 'running';
  $runs{ $x->{run} }++ if defined $x->{run};
  if ($x->{status} eq 'completed') {
    $bad_end++ unless @q == $full && $x->{last} eq 'end';
  } elsif ($x->{status} ne 'unfinished') {
    $bad_cut++;
  }
}
for my $n (keys %ended) {
  next unless $ended{$n} == 0;
  my ($x) = grep { defined $_->{run} && $_->{run} == $n } @s;
  $lost++ unless $x && $x->{status} eq 'completed';
}
ok(!$gaps, 'every session\'s events are a gap-free run (no half-written batch)')
  or diag("$gaps with gaps");
ok(!$running, 'nothing is left running: the cut ones are found')
  or diag("$running still running");
ok(!$bad_end, 'every completed session is whole, ending with its end')
  or diag("$bad_end not whole");
ok(!$bad_cut, 'every other session is unfinished') or diag("$bad_cut other");
ok(!$lost, 'every run that ended by itself is there, completed')
  or diag("$lost lost");
ok(!grep({ $_ > 1 } values %runs), 'nothing is duplicated');
ok(@s <= $RUNS + 1, 'no more sessions than runs (' . scalar(@s) . ')');
done_testing();
