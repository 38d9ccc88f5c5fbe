#!/usr/bin/env perl
# text_scale in the settings reaches the screen: the real program, headless
# at 800x480, draws home larger with text_scale = 1.5 than without; a bad
# value is named with FILE:LINE and changes nothing.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use lib dirname(__FILE__);
use E2E;
use Test::More;

my $pngstat = dirname(bin()) . '/tests/pngstat';
plan skip_all => "no $pngstat (build the tests)" unless -x $pngstat;
my $work = tempdir(CLEANUP => 1);

sub home_with {
  my ($name, $settings) = @_;
  my $conf = "$work/$name.conf";
  open my $fh, '>', $conf or die $!;
  print $fh $settings;
  close $fh;
  my $r = run_rebalance(
    args => ['--headless', '--size', '800x480', '--config', $conf,
             '--routines', root() . '/scripts/routines',
             '--screenshot-dir', "$work/$name"],
    input => "1000 SCREENSHOT home\n1500 QUIT\n");
  is($r->{status}, 0, "$name: runs") or diag($r->{stderr});
  ok(-s "$work/$name/home.png", "$name: home photographed");
  return $r;
}

sub difference {
  open my $p, '-|', $pngstat, @_ or die "$pngstat: $!";
  my @f = split ' ', scalar(<$p> // '');
  close $p;
  return $f[4];
}

home_with('plain', "# nothing set\n");
my $big = home_with('big', "text_scale = 1.5\n");
unlike($big->{stderr}, qr/text_scale/, 'text_scale = 1.5 is taken quietly');
my $d = difference("$work/plain/home.png", "$work/big/home.png");
ok(defined $d && $d > 1, 'text_scale = 1.5 changes what home shows')
  or diag('mean difference ' . ($d // 'none'));

my $bad = home_with('bad', "\ntext_scale = huge\n");
like($bad->{stderr},
     qr{\Q$work\E/bad\.conf:2: text_scale: expected a number from 1\.0 to 1\.5},
     'a bad text_scale is named with FILE:LINE');
$d = difference("$work/plain/home.png", "$work/bad/home.png");
ok(defined $d && $d < 0.5, 'a bad text_scale leaves the screen as it was')
  or diag('mean difference ' . ($d // 'none'));
done_testing();
