#!/usr/bin/env perl
# screens.t: every screen, drawn by the real program, at both sizes.
#
# For 800x480 (landscape, the 7" panel) and 720x1280 (portrait) the program
# runs each script twice: --headless (SDL offscreen) and --window under a
# real X server. The scripts visit every screen: home, intro, pain scale,
# an info step with its ready button, number entry (ankle-wall-test), a
# hold, the same hold paused, the rest between holds, the STOP pain
# question, the summaries, the get-ready countdown, tempo reps and the rest
# between sets (glute-activation), the error screen and home with a routine
# that could not be loaded. Every screenshot must exist, have the size of
# the screen and be drawn (not blank); the window and headless pictures of
# a screen must agree; screens that must differ (a hold and the same hold
# paused) must differ. The pictures are kept for people to look at, in
# $REBALANCE_SCREENSHOTS (default build-asan/screenshots), as
# SIZE/MODE/NAME.png.
#
# Without DISPLAY the script starts itself again under xvfb-run; without
# xvfb-run the window half is skipped (./dev.sh test installs xvfb).
#
# Environment: REBALANCE_ROOT (the repo; default ../.. from here),
# REBALANCE_BIN (default build-asan/rebalance), REBALANCE_SCREENSHOTS.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Copy qw(copy);
use File::Path qw(make_path);
use File::Spec;
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;

my $XVFB_SCREEN = '-screen 0 1280x1280x24';    # room for both window sizes

# No sound device, as in CI, also on a laptop with speakers: without one
# there is no voice and say() takes no time, so window runs keep the same
# timeline as headless ones (the voice has its own test, e2e/voice.t).
$ENV{SDL_AUDIODRIVER} = 'dummy';

sub in_path {
  my $prog = shift;
  for my $d (File::Spec->path) {
    return "$d/$prog" if -x "$d/$prog";
  }
  return undef;
}

# A window needs an X server: start one for this script when there is none.
my $no_x;
if (!$ENV{DISPLAY}) {
  if ($ENV{REBALANCE_SCREENS_XVFB}) {
    $no_x = 'xvfb-run ran this script but DISPLAY is still unset';
  } elsif (!in_path('xvfb-run') || !in_path('xauth')) {
    $no_x = 'no X server: DISPLAY is unset and xvfb-run/xauth are missing '
      . '(apt-get install xvfb xauth)';
  } else {
    $ENV{REBALANCE_SCREENS_XVFB} = 1;    # once only
    exec 'xvfb-run', '-a', '-s', $XVFB_SCREEN, $^X, File::Spec->rel2abs($0),
      @ARGV;
    die "screens.t: cannot run xvfb-run: $!\n";
  }
}

my $root = File::Spec->rel2abs($ENV{REBALANCE_ROOT}
    // dirname(File::Spec->rel2abs($0)) . '/../..');
my $bin = File::Spec->rel2abs($ENV{REBALANCE_BIN} // "$root/build-asan/rebalance",
  $root);
my $pngstat = dirname($bin) . '/tests/pngstat';
my $keep    = $ENV{REBALANCE_SCREENSHOTS} // "$root/build-asan/screenshots";
BAIL_OUT("no program at $bin: build first (./dev.sh test)") unless -x $bin;
BAIL_OUT("no $pngstat: build the tests (REBALANCE_TESTS=ON)")
  unless -x $pngstat;
chdir $root or BAIL_OUT("cd $root: $!");    # for the relative fixture path
# Leaks inside system libraries (D-Bus, X11 ...) are listed there; dev.sh
# sets the same when it runs all tests.
$ENV{LSAN_OPTIONS} //= "suppressions=$root/tests/lsan.supp:print_suppressions=0"
  if -e "$root/tests/lsan.supp";

my $work = tempdir('rebalance-screens-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# --- limits, from measurements ------------------------------------------------
# Drawn: a screen has text, so many colours (antialiasing) and much of it
# differs from the background. The emptiest screens (the summaries) have
# about 600 colours and 13% coverage at 800x480; a blank one has 1 and 0.
my $MIN_COLOURS  = 20;
my $MIN_COVERAGE = 0.05;
# Window (X11) against headless (offscreen), mean absolute difference per
# channel, 0-255. Measured: 0.00 on every screen with the software renderer
# (what dev.sh sets, SDL_RENDER_DRIVER=software); at most 0.55 with SDL's
# default OpenGL renderer (Mesa llvmpipe under Xvfb), which antialiases the
# timer rings a little differently (hold, rest: 0.2-0.55; text-only screens
# under 0.2). The per-screen figures are printed at the end of each run.
my $MAX_X11_DIFF = 3;
# Two screens that must look different differ by at least this much. The
# closest pair measured: the pain scale with no highlight and with one cell
# highlighted (1.8); hold and paused differ by about 50.
my $MIN_DIFFERENT = 1;
# The same screen drawn twice in one mode.
my $MAX_SAME = 0.5;
# A run that takes longer has hung (each takes 1-2 s under ASan).
my $RUN_LIMIT_S = 20;

# --- the scripts --------------------------------------------------------------
# Times are milliseconds from program start on the virtual clock, worked
# out from --timeline runs: without a voice, say() takes no time, so only
# timed steps move the routine clock, and a pause moves it on by nothing.

# Home -> first card (ankle-wall-test, by keys) -> intro -> the whole test.
my $home_input = <<'EOF';
0 SCREENSHOT home
100 DOWN
200 SCREENSHOT home_down
300 UP
400 PRIMARY
500 SCREENSHOT intro
600 PRIMARY
700 SCREENSHOT pain_before
# nothing is highlighted yet: a blind OK answers nothing; the first UP
# highlights 0, the next 1
750 PRIMARY
800 UP
900 UP
1000 SCREENSHOT pain_selected
1100 PRIMARY
1200 SCREENSHOT ready
# 'Get ready', then four steps of the left side up to the measurement
1300 NEXT
1400 NEXT
1500 NEXT
1600 NEXT
1700 NEXT
1800 DIGIT 1
1900 DIGIT 2
2000 SCREENSHOT measure
2100 PRIMARY
2200 NEXT
2300 NEXT
2400 NEXT
2500 NEXT
2600 ANSWER 9
2700 SCREENSHOT result
2800 NEXT
2900 NEXT
3000 SCREENSHOT pain_after
3100 ANSWER 1
3200 SCREENSHOT summary_done
3300 PRIMARY
3400 SCREENSHOT home_after
EOF

# Doorway chest stretch: the hold starts at 300 and lasts 30 s plus the 2 s
# paused, so rep 1 ends at 32300 and the 10 s rest runs to 42300.
my $doorway_input = <<'EOF';
0 ANSWER 2
100 SCREENSHOT info
200 NEXT
300 NEXT
5300 SCREENSHOT hold
5400 PRIMARY
5500 SCREENSHOT paused
7400 PRIMARY
36300 SCREENSHOT rest
50000 STOP
50100 SCREENSHOT stop_question
50200 ANSWER 3
50300 SCREENSHOT summary_stopped
EOF

# Glute activation: countdown 15 s from 100, then bridges at 7 s a rep (up
# 2, hold 3, down 2) from 15100: 17600 is the hold of rep 1; set 1 ends at
# 85100 and the 30 s rest between sets runs to 115100.
my $glute_input = <<'EOF';
0 ANSWER 2
100 NEXT
5100 SCREENSHOT countdown
17600 SCREENSHOT reps
90100 SCREENSHOT rest_sets
95000 STOP
95100 ANSWER 0
EOF

# A routine with an error (hold of -5 s), then home, where a routine of the
# --routines folder could not be loaded: it is left off, and the problem
# goes to the log, not onto the patient's home.
my $error_input = <<'EOF';
0 SCREENSHOT error
100 PRIMARY
200 SCREENSHOT home_notice
EOF

my $routines = "$work/routines";
make_path($routines);
copy("$root/tests/fixtures/syntax_error.lua", "$routines/syntax_error.lua")
  or BAIL_OUT("copy syntax_error.lua: $!");
copy("$root/scripts/routines/doorway-chest-stretch.lua",
  "$routines/doorway-chest-stretch.lua")
  or BAIL_OUT("copy doorway-chest-stretch.lua: $!");

# Home shows the routines of a folder: the test's own, so a routine
# added to the bundle does not move the first card.
my $home_routines = "$work/home_routines";
make_path($home_routines);
for my $f (qw(ankle-wall-test doorway-chest-stretch glute-activation)) {
  copy("$root/scripts/routines/$f.lua", "$home_routines/$f.lua")
    or BAIL_OUT("copy $f.lua: $!");
}

my @cases = (
  { name   => 'home',
    args   => ['--routines', $home_routines],
    input  => $home_input,
    status => 0,
    check  => sub {
      my ($tl, $what) = @_;
      my ($start) = grep { $_->{event} eq 'start' } @$tl;
      is($start && $start->{routine}, 'ankle-wall-test',
        "$what: the first card opened ankle-wall-test");
      my ($pain) = grep { $_->{event} eq 'ask_scale' } @$tl;
      is($pain && $pain->{answer}, 1,
        "$what: OK with nothing highlighted did nothing; UP, UP, OK is 1");
      is_deeply([map { $_->{answer} } grep { $_->{event} eq 'measure' } @$tl],
        [12, 9], "$what: measurements 12 (typed) and 9");
      is(end_status($tl), 'completed', "$what: completed");
    },
  },
  { name   => 'doorway',
    args   => ['--routine', 'doorway-chest-stretch'],
    input  => $doorway_input,
    status => 2,
    check  => sub {
      my ($tl, $what) = @_;
      is_deeply([map { "$_->{event}\@$_->{t}" }
          grep { $_->{event} =~ /^(pause|resume|rest)$/ } @$tl],
        ['pause@5400', 'resume@5400', 'rest@30300'],
        "$what: paused in hold 1, rest after it");
      is(end_status($tl), 'stopped', "$what: stopped");
    },
  },
  { name   => 'glute',
    args   => ['--routine', 'glute-activation'],
    input  => $glute_input,
    status => 2,
    check  => sub {
      my ($tl, $what) = @_;
      is_deeply([map { "$_->{event}\@$_->{t}" }
          grep { $_->{event} =~ /^(countdown|reps|rest)$/ } @$tl],
        ['countdown@100', 'reps@15100', 'rest@85100'],
        "$what: countdown, set 1, rest between sets");
      is(end_status($tl), 'stopped', "$what: stopped");
    },
  },
  { name   => 'error',
    args   => ['--routines', $routines, '--routine',
      'tests/fixtures/negative_hold.lua'],
    input  => $error_input,
    status => 1,
    check  => sub {
      my ($tl, $what) = @_;
      my ($end) = grep { $_->{event} eq 'end' } @$tl;
      like($end && $end->{error}, qr/negative_hold\.lua:6:/,
        "$what: the error names FILE:LINE");
    },
  },
);

sub end_status {
  my ($end) = grep { $_->{event} eq 'end' } @{ $_[0] };
  return $end ? $end->{status} : 'no end event';
}

sub shots_of {
  my $input = shift;
  return $input =~ /^\d+ SCREENSHOT (\S+)$/mg;
}

sub slurp {
  my $f = shift;
  open my $fh, '<', $f or return '';
  local $/;
  my $s = <$fh>;
  return $s // '';
}

sub timeline {
  my $f = shift;
  my @ev;
  for my $line (split /\n/, slurp($f)) {
    my $e = eval { decode_json($line) };
    push @ev, ref $e eq 'HASH' ? $e : { event => "bad line: $line" };
  }
  return \@ev;
}

# Runs the program; returns (exit status, directory of its files).
sub run_program {
  my ($case, $size, $mode) = @_;
  my $dir = "$work/$size/$mode/$case->{name}";
  my $input = $case->{input};
  my @display = $mode eq 'window' ? ('--window', $size)
    : ('--headless', '--size', $size);
  if ($mode eq 'window') {    # a window runs until QUIT
    my ($last) = $input =~ /^(\d+) [^\n]*\n\z/m;
    $input .= ($last + 100) . " QUIT\n";
  }
  make_path("$dir/shots");
  open my $fh, '>', "$dir/input.txt" or die "$dir/input.txt: $!";
  print $fh $input;
  close $fh;
  my @cmd = ('timeout', '-k', '5', $RUN_LIMIT_S, $bin, @display,
    '--virtual-clock', @{ $case->{args} }, '--input', "$dir/input.txt",
    '--screenshot-dir', "$dir/shots", '--timeline', "$dir/timeline.jsonl",
    # each run its own new store: a window keeps results by default (in
    # the build tree's state/), which would put My progress on the home
    # screen of the next run
    '--state', "$dir/state");
  return (run_logged(\@cmd, $mode, "$dir/log.txt"), $dir);
}

# Runs @$cmd with stdout and stderr into $log; returns its exit status.
sub run_logged {
  my ($cmd, $mode, $log) = @_;
  # Xlib, XCB and Mesa keep allocations to the end that LeakSanitizer
  # would report at exit; X11 runs only check memory errors. Headless runs
  # keep leak detection.
  local %ENV = %ENV;
  $ENV{ASAN_OPTIONS} = join ':', grep { defined && length }
    $ENV{ASAN_OPTIONS}, 'detect_leaks=0'
    if $mode eq 'window';
  my $pid = fork // die "fork: $!";
  if ($pid == 0) {
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', $log or exit 127;
    open STDERR, '>&', \*STDOUT or exit 127;
    exec @$cmd or exit 127;
  }
  waitpid $pid, 0;
  return $? & 127 ? 128 + ($? & 127) : $? >> 8;
}

# pngstat A [B]: (width, height, colours, coverage[, mean difference]).
sub pngstat {
  open my $fh, '-|', $pngstat, @_ or die "$pngstat: $!";
  my @f = split ' ', scalar(<$fh> // '');
  close $fh;
  return @f;
}

sub log_tail {
  my @lines = split /\n/, slurp(shift);
  splice @lines, 0, @lines - 15 if @lines > 15;
  return join "\n", @lines;
}

my @modes = ('headless', 'window');
my %diffs;    # X11 against headless, for the summary
for my $size ('800x480', '720x1280') {
  my %tl;
  for my $mode (@modes) {
    SKIP: {
      skip "$mode $size: $no_x", 1 if $mode eq 'window' && $no_x;
      for my $case (@cases) {
        my $what = "$case->{name} $mode $size";
        my ($status, $dir) = run_program($case, $size, $mode);
        is($status, $case->{status}, "$what: exit status $case->{status}")
          or diag($status == 124
            ? "still running after $RUN_LIMIT_S s: killed"
              . ($mode eq 'window' ? ' (did it miss its QUIT line?)' : '')
            : log_tail("$dir/log.txt"));
        $tl{$mode}{ $case->{name} } = timeline("$dir/timeline.jsonl");
        $case->{check}->($tl{$mode}{ $case->{name} }, $what);
        my $keep_dir = "$keep/$size/$mode";
        make_path($keep_dir);
        for my $shot (shots_of($case->{input})) {
          my $png = "$dir/shots/$shot.png";
          unlink "$keep_dir/$shot.png";
          copy($png, "$keep_dir/$shot.png") if -e $png;
          my ($pw, $ph, $colours, $coverage) = -e $png ? pngstat($png) : ();
          is(defined $pw ? "${pw}x$ph" : 'no picture', $size,
            "$what: $shot.png is ${size}");
          ok(($colours // 0) > $MIN_COLOURS
              && ($coverage // 0) > $MIN_COVERAGE,
            "$what: $shot.png is drawn")
            or diag(sprintf '%s colours, %.1f%% differs from the background',
            $colours // 'no', 100 * ($coverage // 0));
        }
      }
    }
  }

  # The same screen in two modes; two screens that must differ.
  my %png;
  for my $mode (@modes) {
    for my $case (@cases) {
      $png{$mode}{$_} = "$work/$size/$mode/$case->{name}/shots/$_.png"
        for shots_of($case->{input});
    }
  }
  my $hl = $png{headless};
  for my $pair (['hold', 'paused'], ['home', 'home_down'],
    ['pain_before', 'pain_selected'], ['home', 'home_notice'],
    ['countdown', 'reps'], ['rest', 'rest_sets'])
  {
    my ($one, $two) = @$pair;
    my $d = (pngstat($hl->{$one}, $hl->{$two}))[4];
    ok(defined $d && $d >= $MIN_DIFFERENT,
      "headless $size: $one and $two differ")
      or diag('mean difference ' . ($d // 'none'));
    note(sprintf 'headless %s: %s vs %s %.2f', $size, $one, $two, $d // -1);
  }
  my $same = (pngstat($hl->{home}, $hl->{home_after}))[4];
  ok(defined $same && $same <= $MAX_SAME,
    "headless $size: home is the same after a routine")
    or diag('mean difference ' . ($same // 'none'));

  SKIP: {
    skip "window $size: $no_x", 1 if $no_x;
    for my $case (@cases) {
      is_deeply($tl{window}{ $case->{name} }, $tl{headless}{ $case->{name} },
        "$case->{name} $size: window and headless timelines agree");
    }
    for my $shot (sort keys %$hl) {
      my $d = (pngstat($png{window}{$shot}, $hl->{$shot}))[4];
      $diffs{$size}{$shot} = $d;
      ok(defined $d && $d < $MAX_X11_DIFF,
        "$shot $size: window and headless pictures agree")
        or diag('mean difference ' . ($d // 'none (missing or sizes differ)'));
    }
  }
}

# What the window pictures differ by, for whoever tunes $MAX_X11_DIFF.
for my $size (sort keys %diffs) {
  note("window vs headless $size: " . join ', ',
    map { sprintf '%s %.2f', $_, $diffs{$size}{$_} // -1 }
    sort keys %{ $diffs{$size} });
}
note("screenshots: $keep/{800x480,720x1280}/{headless,window}/");
done_testing();
