#!/usr/bin/env perl
# Power cuts: 200 real sessions (on the real clock, answers coming from a
# script) killed with SIGKILL, four at a time, all keeping to one results
# store. Afterwards the database passes PRAGMA integrity_check; every
# session that ended before its kill is there whole; every one cut off is
# found at the next start and marked unfinished, its events a gap-free
# beginning of a session; nothing is duplicated.
#
# What this does and does not test, plainly: SIGKILL kills the program,
# not the machine. What the program had written to the kernel is still
# written to the disk by the OS, so this tests the program's crash
# consistency (a kill at any moment leaves nothing lost or half-written),
# not a true power loss, where the disk's cache is lost and whatever was
# not yet on the platter may be gone or reordered. For that the store
# relies on SQLite's WAL with synchronous=FULL (a commit is fsync'd before
# it counts), which no test here can pull the plug on.
#
# Where the kills land does not depend on the machine's speed. Three runs
# in four are killed by what they have done, not by the clock: each draws
# a number of events k, between its first answer and its last, and gets a
# script that answers only as far as it takes to pass k, the next answer
# an hour off, so it can never reach its end. It is killed once its own
# timeline (written and flushed event by event) shows k events and the
# store shows its session begun (more than one of its events kept): so it
# is cut mid-session, however slowly it starts or its store keeps up. The
# fourth run in four has the whole script and is killed at a random moment
# of the wall clock: in its start-up (opening the store, marking others'
# cut sessions unfinished), mid-session or after its end (closing), as the
# machine's speed has it. Those are not counted on; they cut those
# moments too.
#
# No child the test does not kill is waited for without a limit: one that
# hangs is killed and the test fails, rather than CI hanging.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use IO::Select;
use IPC::Open2 ();
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);
use Test::More;

my $RUNS = $ENV{REBALANCE_POWERCUT_RUNS} // 200;
my $LIMIT = $ENV{REBALANCE_POWERCUT_LIMIT} // 60;    # seconds a child may take

# Starts a child with stdout to $out and stderr to $err (or nowhere).
sub spawn {
  my ($out, $err, @argv) = @_;
  my $pid = fork // die "fork: $!";
  if (!$pid) {
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', $out // '/dev/null';
    open STDERR, '>', $err // '/dev/null';
    exec @argv;
    exit 127;
  }
  return $pid;
}

# Waits for a child that is not being killed, at most $LIMIT seconds: its
# $? then, or undef when it hung (it is killed then).
sub wait_limited {
  my $pid = shift;
  my $until = time + $LIMIT;
  while (time < $until) {
    return $? if waitpid($pid, WNOHANG) == $pid;
    sleep 0.01;
  }
  kill 'KILL', $pid;
  waitpid $pid, 0;    # killed: it goes
  return undef;
}

# The same, and a hang is a failed test.
sub finish {
  my ($pid, $what) = @_;
  my $st = wait_limited($pid);
  fail("$what still running after $LIMIT s: killed") unless defined $st;
  return $st;
}

my $py = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';
{
  my $st = wait_limited(spawn(undef, undef, $py, '-c', 'import sqlite3'));
  die "$py -c 'import sqlite3' still running after $LIMIT s: killed\n"
    unless defined $st;
  plan skip_all => 'python3 is needed to read the database' if $st;
}

my $root = root();
my $bin = bin();
my $state = File::Temp::tempdir(CLEANUP => 1);
my $work = File::Temp::tempdir(CLEANUP => 1);

# The script: answers 1 .. $upto on the real clock, then (when it stops
# short) the next an hour off, so the session waits there until killed.
sub script {
  my ($file, $upto) = @_;
  open my $in, '>', $file or die "$file: $!";
  printf $in "%d ANSWER Yes\n", 100 + $_ * 25 for 1 .. $upto;
  print $in "3600000 ANSWER Yes\n" if $upto < 20;
  close $in or die "$file: $!";
}
script("$work/input.txt", 20);
$ENV{ASAN_OPTIONS} = ($ENV{ASAN_OPTIONS} // '') . ':detect_leaks=0';
srand(20261128);

sub start {
  my ($n, $input) = @_;
  return spawn(undef, "$work/err-$n.txt", $bin, '--headless', '--state',
               $state, '--routine', "$root/tests/fixtures/powercut.lua",
               '--param', "run=$n", '--input', $input, '--timeline',
               "$work/tl-$n.jsonl");
}

# How many events a run's timeline shows so far (whole lines only).
sub events_so_far {
  open my $fh, '<', shift or return 0;
  local $/;
  my $s = <$fh> // '';
  return $s =~ tr/\n//;
}

# The whole thing once, not killed: how many events a whole session has,
# and where it waits for its answers: @waits, how many events come before
# each (an answer is given, then logged as its "ask"). Killed after event
# k, $lo <= k <= $hi, a session has had its first answer and not its last.
my ($full, @waits, $lo, $hi);
{
  my $st = finish(start(0, "$work/input.txt"), 'the uncut session');
  is($st, 0, 'an uncut session completes');
  my $tl = events_of(E2E::slurp("$work/tl-0.jsonl"));
  $full = @$tl;
  @waits = grep { $tl->[$_]{event} eq 'ask' } 0 .. $#$tl;
  die "the uncut session's timeline does not have the script's 20 answers"
    unless @waits == 20;
  ($lo, $hi) = ($waits[0] + 1, $waits[-1]);
}

# How many of run $n's events the store keeps so far, asked of a reader
# that stays open (the database is shared: readers never block its
# writers); -1 when it cannot say just now.
open my $kq, '>', "$work/kept.py" or die $!;
print $kq <<'PY';
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=5)
for line in sys.stdin:
    try:
        c = db.execute("SELECT count(*) FROM events WHERE session_id IN "
                       "(SELECT session_id FROM results WHERE key='run' "
                       "AND value=?)", (line.strip(),)).fetchone()[0]
    except sqlite3.Error:
        c = -1
    print(c, flush=True)
PY
close $kq;
my ($kept_out, $kept_in);
my $kept_pid = IPC::Open2::open2($kept_out, $kept_in, $py, "$work/kept.py",
                                 "$state/rebalance.db");
my $kept_broken;
sub kept {
  my $n = shift;
  return 1e9 if $kept_broken;
  local $SIG{PIPE} = 'IGNORE';    # a reader gone is told below
  my ($line, $sel, $until) = ('', IO::Select->new($kept_out), time + $LIMIT);
  print $kept_in "$n\n";
  $kept_in->flush;
  while ($line !~ /\n/) {
    my $left = $until - time;
    last unless $left > 0 && $sel->can_read($left)
      && sysread($kept_out, $line, 64, length $line);
  }
  return $1 if $line =~ /^(-?\d+)\n/;
  fail("the store's reader did not answer for run $n: killed");
  kill 'KILL', $kept_pid;
  waitpid $kept_pid, 0;    # killed: it goes
  $kept_broken = 1;
  return 1e9;    # the runs are killed without it
}

my (%ended, %killed, %by_events, %seen, @hung, @crashed);
my %live;    # pid -> {n, at (a time) or k (events), until, sent}
my $next = 1;
while ($next <= $RUNS || %live) {
  while ($next <= $RUNS && keys %live < 4) {
    my %r = (n => $next, until => time + $LIMIT);
    my $input = "$work/input.txt";
    if ($next % 4) {
      # answers as far as it takes for k events, and no further
      $r{k} = $lo + int(rand($hi - $lo + 1));
      my $upto = grep { $_ < $r{k} } @waits;
      script($input = "$work/input-$next.txt", $upto);
      $by_events{$next} = 1;
    } else {
      $r{at} = time + rand(1.2);
    }
    $live{ start($next, $input) } = \%r;
    $next++;
  }
  sleep 0.005;
  for my $pid (keys %live) {
    my $r = $live{$pid};
    my $n = $r->{n};
    if (waitpid($pid, WNOHANG) == $pid) {
      if ($r->{sent} && ($? & 127) == 9) { $killed{$n} = 1 }
      elsif ($? & 127) { push @crashed, "run $n: signal " . ($? & 127) }
      else             { $ended{$n} = $? >> 8 }
      delete $live{$pid};
    } elsif ($r->{sent}) {
      # killed: it goes
    } elsif (time >= $r->{until}) {
      kill 'KILL', $pid;    # the test fails: see @hung
      $r->{sent} = 1;
      push @hung, "run $n";
    } elsif (defined $r->{k}) {
      next unless events_so_far("$work/tl-$n.jsonl") >= $r->{k};
      my $kept = kept($n);
      next unless $kept > 1;
      kill 'KILL', $pid;
      $r->{sent} = 1;
      $seen{$n} = $kept;
    } elsif (time >= $r->{at}) {
      kill 'KILL', $pid;
      $r->{sent} = 1;
    }
  }
}
close $kept_in;
finish($kept_pid, "the store's reader") unless $kept_broken;
diag(sprintf '%d runs: %d ended by themselves, %d killed', $RUNS,
     scalar keys %ended, scalar keys %killed);
ok(!@hung, "no run hung (each is killed after $LIMIT s)")
  or diag("hung: @hung");
ok(!@crashed, 'no run died of anything but its kill') or diag("@crashed");
ok(keys(%killed) >= $RUNS / 4, 'most runs were cut off');

# The next start finds what was cut off.
my $st = finish(spawn(undef, undef, $bin, 'patients', '--state', $state),
                'rebalance patients');
is($st, 0, 'the store opens after it all');

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
$st = finish(spawn("$work/check.json", undef, $py, "$work/check.py",
                   "$state/rebalance.db"), 'reading the database');
is($st, 0, 'the database can be read');
my $got = JSON::PP::decode_json(E2E::slurp("$work/check.json") || '{}');
is($got->{integrity}, 'ok', 'PRAGMA integrity_check is ok');
my @s = @{ $got->{sessions} // [] };
my ($whole) = grep { defined $_->{run} && $_->{run} == 0 } @s;
is($whole ? scalar @{ $whole->{seqs} } : 0, $full,
   "a whole session has its $full events, as its timeline");
my (%runs, $gaps, $running, $bad_end, $bad_cut, $lost, $mid, $mid_by_events);
for my $x (@s) {
  my @q = @{ $x->{seqs} };
  $gaps++ if grep { $q[$_] != $_ } 0 .. $#q;
  $running++ if $x->{status} eq 'running';
  $runs{ $x->{run} }++ if defined $x->{run};
  if ($x->{status} eq 'completed') {
    $bad_end++ unless @q == $full && $x->{last} eq 'end';
  } elsif ($x->{status} ne 'unfinished') {
    $bad_cut++;
  } elsif (@q > 1 && @q < $full) {
    $mid++;
    $mid_by_events++ if defined $x->{run} && $by_events{ $x->{run} };
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

# The kills landed mid-session: count the cut sessions kept with more
# than their first event and fewer than a whole session's. Every run killed
# by its events must be one (it could not reach its end, and was killed
# only once the store showed more than one of its events), so at least
# three runs in four (150 of 200) are, whatever the machine's speed; the
# wall clock's runs may add to them. And what the store showed before a
# kill is all still there after it.
my (@not_mid, @shrunk);
for my $n (sort { $a <=> $b } keys %by_events) {
  my ($x) = grep { defined $_->{run} && $_->{run} == $n } @s;
  my $got = $x ? @{ $x->{seqs} } : 0;
  next if $x && $x->{status} eq 'unfinished' && $got > 1 && $got < $full;
  my @said = grep { !/: info: / } split /\n/, E2E::slurp("$work/err-$n.txt");
  push @not_mid, "run $n: " . ($x ? "$x->{status}, $got events" : 'no session')
    . (defined $ended{$n} ? ", ended by itself ($ended{$n})" : '')
    . (@said ? ": $said[-1]" : '');
  push @shrunk, "run $n: $got events, $seen{$n} before its kill"
    if defined $seen{$n} && $got < $seen{$n};
}
$mid //= 0;
$mid_by_events //= 0;
my $want = keys %by_events;
diag("$mid cut mid-session ($mid_by_events of the $want killed by their "
     . "events, after event $lo..$hi of $full)");
ok($mid >= $want, "the kills landed mid-session ($mid >= $want of $RUNS)")
  or diag(join "\n", @not_mid);
ok(!@not_mid, 'every run killed by its events is cut mid-session')
  or diag(join "\n", @not_mid);
ok(!@shrunk, 'every event the store showed before a kill is kept after it')
  or diag(join "\n", @shrunk);
done_testing();
