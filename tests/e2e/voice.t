#!/usr/bin/env perl
# What a patient hears, checked in the WAV that --audio-out writes on the
# routine clock: speech and cues start when the timeline says (within
# 100 ms), holds are quiet but for "halfway" and the last beeps, and a
# muted run is silent with the same timing.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

my $WIN = 10;    # ms per analysis window

sub read_wav {
  my $path = shift;
  open my $fh, '<:raw', $path or die "$path: $!";
  local $/;
  my $d = <$fh>;
  my %w;
  return undef unless substr($d, 0, 4) eq 'RIFF' && substr($d, 8, 4) eq 'WAVE';
  my $pos = 12;
  while ($pos + 8 <= length $d) {
    my ($id, $len) = unpack 'a4 V', substr($d, $pos, 8);
    my $body = substr($d, $pos + 8, $len);
    if ($id eq 'fmt ') {
      @w{qw(format channels rate bits)} = (unpack('v v V', $body), unpack('x14 v', $body));
    } elsif ($id eq 'data') {
      $w{samples} = [unpack 's<*', $body];
    }
    $pos += 8 + $len + ($len & 1);
  }
  return \%w;
}

# Per window of $WIN ms: true when loud (RMS over a threshold). Windows
# are placed by time, not by a rounded sample count, so they never drift.
sub loudness {
  my $w = shift;
  my $s = $w->{samples};
  my @loud;
  for (my $k = 0;; $k++) {
    my $from = int($k * $w->{rate} * $WIN / 1000);
    my $to   = int(($k + 1) * $w->{rate} * $WIN / 1000);
    last if $to > @$s;
    my $sum = 0;
    $sum += $_ * $_ for @$s[$from .. $to - 1];
    push @loud, sqrt($sum / ($to - $from)) > 300 ? 1 : 0;
  }
  return \@loud;
}

sub loud_between {    # any loud window in [a, b) ms
  my ($loud, $a, $b) = @_;
  for my $k (int($a / $WIN) .. int(($b - 1) / $WIN)) {
    return 1 if $k >= 0 && $k < @$loud && $loud->[$k];
  }
  return 0;
}

my @answers = ('--answer', 'pain_before=2',
               '--answer', 'pain_after=1');
# NEXT where the routine waits: after the opening words, after each arm
# placement (the gaps leave time for speech; a NEXT during speech would
# show as a skip, which is checked below)
my $input = "20000 NEXT\n40000 NEXT\n190000 NEXT\n";

sub run_with {
  my ($conf) = @_;
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/rebalance.conf" or die $!;
  print $fh $conf;
  close $fh;
  my $r = run_rebalance(
    args => ['--config', "$dir/rebalance.conf", '--headless', '--virtual-clock',
             '--routine', 'doorway-chest-stretch', '--audio-out', "$dir/out.wav",
             @answers],
    input => $input);
  $r->{wav} = read_wav("$dir/out.wav");
  return $r;
}

my $r = run_with("volume = 100\n");
is($r->{status}, 0, 'voiced run completes') or diag $r->{stderr};
my $tl  = $r->{timeline};
my $wav = $r->{wav};
ok($wav, 'a WAV file was written');
is_deeply([@$wav{qw(format channels bits)}], [1, 1, 16], 'PCM, mono, 16-bit');
ok($wav->{rate} >= 16000, "sample rate $wav->{rate}");
my $end = $tl->[-1]{t};
my $secs = @{ $wav->{samples} } / $wav->{rate};
ok($secs >= $end / 1000 && $secs < $end / 1000 + 5,
   sprintf('the WAV covers the routine (%.1f s for %.1f s)', $secs, $end / 1000));
is(scalar(grep { $_->{event} eq 'skip' } @$tl), 0,
   'the scripted NEXTs met waits, not speech');

my $loud = loudness($wav);
my @says = grep { $_->{event} eq 'say' } @$tl;
ok(@says >= 5, scalar(@says) . ' say events');
my @cues = grep { $_->{event} eq 'cue' } @$tl;
ok((grep { ($_->{text} // '') eq 'Halfway' } @cues), 'halfway is a cue');
ok((grep { $_->{kind} eq 'beep' } @cues) >= 6, 'beeps are cues');
ok((grep { $_->{kind} eq 'chime' } @cues) >= 6, 'a chime ends each hold');

my @late;
for my $e (@says, @cues) {
  push @late, "$e->{event} $e->{t} " . ($e->{text} // $e->{kind})
    unless loud_between($loud, $e->{t}, $e->{t} + 100);
}
is(scalar @late, 0, 'every say and cue is heard within 100 ms of its time')
  or diag join "\n", @late;

# a say() waits until it has been spoken: the next event is not before
# the speech ends
# (the first say of all waits behind the opening question: take one
# that starts in silence)
my ($first_say) = grep { $_->{t} >= 10000 } @says;
ok($first_say, 'a say after the opening');
# the speech ends where 300 ms of quiet begin
my $k = int($first_say->{t} / $WIN);
my $quiet = 0;
while ($k < @$loud && $quiet < 30) {
  $quiet = $loud->[$k] ? 0 : $quiet + 1;
  $k++;
}
my $spoken_end = ($k - $quiet) * $WIN;
my ($after) = grep { $_->{t} > $first_say->{t} } @$tl;
ok($spoken_end > $first_say->{t} + 300, "the first say is heard until $spoken_end ms");
ok($after && abs($after->{t} - $spoken_end) < 400,
   "the step after a say starts when its speech ends ($after->{t} ms)");

# holds: quiet but for halfway and the last three beeps
my @holds = grep { $_->{event} eq 'hold' } @$tl;
is(scalar @holds, 6, 'six holds');
for my $h (@holds) {
  my $t = $h->{t};
  ok(!loud_between($loud, $t + 6000, $t + 15000) &&
       !loud_between($loud, $t + 17000, $t + 26900),
     "hold at $t: quiet between its opening words, halfway and the beeps");
  my @beeps = map { loud_between($loud, $t + $_, $t + $_ + 100) ? 1 : 0 } 27000, 28000, 29000;
  is_deeply(\@beeps, [1, 1, 1], "hold at $t: beeps at 27, 28 and 29 s");
  ok(!loud_between($loud, $t + 27300, $t + 27900), "hold at $t: beeps are short");
}

# muted: silent, same timing
my $m = run_with("mute = yes\n");
is($m->{status}, 0, 'muted run completes');
my $max = 0;
for (@{ $m->{wav}{samples} }) { my $a = abs $_; $max = $a if $a > $max }
is($max, 0, 'a muted run is silent');
is_deeply([map { "$_->{t} $_->{event}" } @{ $m->{timeline} }],
          [map { "$_->{t} $_->{event}" } @$tl], 'and keeps the same timeline');

done_testing();
