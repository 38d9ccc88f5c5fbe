#!/usr/bin/env perl
# `rebalance plugins`: the listing of the loader's test plugins (what
# loaded, what was refused and why), the default plugin directory, and an
# out-of-tree plugin: install the build (header, pkg-config file, plugins)
# into a temporary prefix, build docs/plugin-template/template.c against
# it, and see it load.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Test::More;

my $root  = root();
my $bin   = bin();
my $build = dirname($bin);
my $tdir  = "$build/tests/plugins";

sub have { system("command -v $_[0] >/dev/null 2>&1") == 0 }
sub sh_quote { my $s = shift; $s =~ s/'/'\\''/g; return "'$s'" }

# --- the test plugins ----------------------------------------------------------
SKIP: {
  skip "no test plugins in $tdir (configure with -DREBALANCE_TESTS=ON)", 16
    unless -d $tdir;
  my $r = run_rebalance(args => ['plugins', '--plugins', $tdir], no_timeline => 1);
  my $out = $r->{stdout};
  is($r->{status}, 0, 'plugins: exit 0, refusals and all');
  like($out, qr/^plugin directory: \Q$tdir\E \(host ABI 1\.2\)$/m, 'plugins: the directory and host ABI');
  like($out, qr/^\Q$tdir\E\/good\.so: loaded: good 1\.2\.3, ABI 1\.2$/m, 'plugins: good loaded');
  like($out, qr/^  assessment good_test: Good test$/m, 'plugins: its assessment');
  like($out, qr/^    reach_cm \(left, right\): number 0 to 30 cm, step 0\.5: "How far did you reach\?"$/m,
       'plugins: a number field per side');
  like($out, qr/^    stance: choice of feet_apart \| feet_together: "How did you stand\?"$/m,
       'plugins: a choice field');
  my %refused = (
    wrong_major    => qr/built for plugin ABI 2\.0, but this host loads only ABI 1/,
    newer_minor    => qr/built for plugin ABI 1\.3, newer than this host's 1\.2/,
    no_entry       => qr/no rebalance_plugin_entry symbol/,
    good_duplicate => qr/assessment id 'good_test' is already registered by \Q$tdir\E\/good\.so/,
    bad_field      => qr/assessment 'bad_field': field 'angle_deg': min 90 is not below max 0/,
    not_a_plugin   => qr/not a plugin: invalid ELF header/,
    init_fails     => qr/init failed \(returned -1\)/,
    bad_choice     => qr/assessment 'bad_choice': field 'worse' has no label/,
    bad_flag_words => qr/assessment 'bad_flag_words': flag_words 2: a flag/,
  );
  for my $name (sort keys %refused) {
    like($out, qr/^\Q$tdir\E\/$name\.so: refused: $refused{$name}/m, "plugins: $name refused, with the reason");
  }
  like($out, qr/\n3 loaded, 9 refused\n\z/, 'plugins: the counts, last');
  like($r->{stderr}, qr/warning: \Q$tdir\E\/not_a_plugin\.so: not a plugin: invalid ELF header/,
       'plugins: refusals are logged as FILE: reason');
}

# --- the default directory and a missing one ---------------------------------
{
  my $r = run_rebalance(args => ['plugins'], no_timeline => 1);
  is($r->{status}, 0, 'default directory: exit 0');
  like($r->{stdout}, qr/^plugin directory: \Q$build\E\/plugins \(host ABI 1\.2\)/m,
       'default directory: the build tree\'s plugins, run from the build tree');
  my @bundled = map { s{.*/}{}r } glob("$build/plugins/*.so");
  for my $so (@bundled) {
    like($r->{stdout}, qr/^\Q$build\E\/plugins\/\Q$so\E: loaded: /m, "default directory: bundled $so loaded");
  }
}
{
  my $r = run_rebalance(args => ['plugins', '--plugins', "$build/no-such-dir"], no_timeline => 1);
  is($r->{status}, 0, 'missing directory: exit 0');
  like($r->{stdout}, qr/no-such-dir \(host ABI 1\.2\): missing, no plugins\n0 loaded, 0 refused\n/,
       'missing directory: said so');
}

# --- out of tree: install, pkg-config, build the template ----------------------
SKIP: {
  my @need = grep { !have($_) } qw(cmake cc pkg-config);
  skip "needs @need", 11 if @need;
  my $tmp = tempdir(CLEANUP => 1);
  my ($q, $qb) = (sh_quote($tmp), sh_quote($build));
  my $log = `cmake --install $qb --prefix $q 2>&1`;
  is($?, 0, 'cmake --install into a temporary prefix') or diag $log;
  ok(-f "$tmp/include/rebalance/plugin.h", 'installed: include/rebalance/plugin.h');
  ok(-f "$tmp/lib/pkgconfig/rebalance-plugin.pc", 'installed: lib/pkgconfig/rebalance-plugin.pc');
  my @bundled = map { s{.*/}{}r } glob("$build/plugins/*.so");
  is_deeply([map { s{.*/}{}r } glob("$tmp/lib/rebalance/plugins/*.so")], \@bundled,
            'installed: the bundled plugins in lib/rebalance/plugins');

  my $pc = "PKG_CONFIG_PATH=$q/lib/pkgconfig pkg-config";
  (my $cflags = `$pc --cflags rebalance-plugin 2>&1`) =~ s/\s+\z//;
  is($cflags, "-I$tmp/include", 'pkg-config --cflags: the installed include directory');
  chomp(my $pdir = `$pc --variable=plugindir rebalance-plugin 2>&1`);
  is($pdir, "$tmp/lib/rebalance/plugins", 'pkg-config: plugindir');
  chomp(my $version = `$pc --modversion rebalance-plugin 2>&1`);
  like(`${\ sh_quote($bin)} --version`, qr/^rebalance \Q$version\E$/, "pkg-config: the project's version ($version)");

  mkdir "$tmp/p" or die "$tmp/p: $!";
  # CC: the cross compiler when the tests run on another architecture
  my $cc = ($ENV{CC} // 'cc') . " -std=c11 -Wall -Wextra -Werror -shared -fPIC $cflags "
    . sh_quote("$root/docs/plugin-template/template.c") . " -o $q/p/template.so 2>&1";
  my $ccout = `$cc`;
  is($?, 0, 'the template builds out of tree, warning-free') or diag "$cc\n$ccout";

  my $r = run_rebalance(args => ['plugins', '--plugins', "$tmp/p"], no_timeline => 1);
  like($r->{stdout}, qr/^\Q$tmp\E\/p\/template\.so: loaded: single_leg_stance 1\.0\.0, ABI 1\.2\n  assessment single_leg_stance: Single-leg balance\n/m,
       'the template loads') or diag $r->{stdout}, $r->{stderr};
  like($r->{stdout}, qr/\n1 loaded, 0 refused\n\z/, 'the template: nothing refused');

  # installed, the program finds the installed plugins without options
  # (REBALANCE_EXEC: qemu-aarch64 when the tests run the arm64 build)
  my $exec = $ENV{REBALANCE_EXEC} ? "$ENV{REBALANCE_EXEC} " : '';
  my $out = `$exec${\ sh_quote("$tmp/bin/rebalance")} plugins 2>&1`;
  like($out, qr/^plugin directory: \Q$tmp\E\/lib\/rebalance\/plugins \(host ABI 1\.2\)/m,
       'installed: the default directory is PREFIX/lib/rebalance/plugins');
}

done_testing();
