# A small stand-in for Homebrew's Formula DSL, enough to run the `install` method of the formula
# dist generates, for tests/it/homebrew_formula.rs. It is not Homebrew: it implements only what
# that formula calls, with Homebrew's meaning (Pathname#install moves files into a directory,
# and a `{ "src" => "name" }` argument renames them), and the directories Homebrew gives `man1`,
# `bash_completion`, `zsh_completion`, `fish_completion`, `bin` and `pkgshare`.
#
#   ruby formula_dsl.rb FORMULA.rb UNPACKED_ARCHIVE PREFIX
#
# runs the formula's `install` inside UNPACKED_ARCHIVE (as Homebrew does, in the unpacked
# download) on Linux x86_64, and prints every file under PREFIX, one relative path per line.

require "fileutils"
require "pathname"

module OS
  def self.mac? = false
  def self.linux? = true
end

module Hardware
  module CPU
    def self.arm? = false
    def self.intel? = true
  end
end

# Homebrew's Pathname#install: move each source into this directory; a Hash renames.
class Pathname
  def install(*sources)
    mkpath
    sources.each do |source|
      pairs = source.is_a?(Hash) ? source.to_a : [[source, File.basename(source.to_s)]]
      pairs.each do |from, to|
        raise "install: #{from} does not exist (in #{Dir.pwd})" unless File.exist?(from.to_s)
        FileUtils.mv(from.to_s, join(to.to_s).to_s)
      end
    end
  end

  def install_symlink(pairs)
    mkpath
    pairs.each { |from, to| File.symlink(from.to_s, join(to.to_s).to_s) }
  end
end

class Formula
  class << self
    # The class-level DSL: recorded, not acted on.
    %i[desc homepage version url sha256 license depends_on].each do |name|
      define_method(name) { |*args| (@dsl ||= {})[name] = args }
    end
    attr_reader :dsl

    def inherited(subclass)
      super
      (@formulas ||= []) << subclass
    end

    attr_reader :formulas
  end

  def initialize(prefix) = @prefix = Pathname(prefix)

  attr_reader :prefix

  def bin = prefix / "bin"
  def lib = prefix / "lib"
  def share = prefix / "share"
  def pkgshare = share / "ghcr-doctor"
  def man1 = share / "man/man1"
  def bash_completion = prefix / "etc/bash_completion.d"
  def zsh_completion = share / "zsh/site-functions"
  def fish_completion = share / "fish/vendor_completions.d"
end

formula_path, unpacked, prefix = ARGV
abort "usage: ruby formula_dsl.rb FORMULA.rb UNPACKED_ARCHIVE PREFIX" unless prefix
load File.expand_path(formula_path)
abort "#{formula_path} defines no Formula" unless Formula.formulas&.size == 1
formula = Formula.formulas.first.new(File.expand_path(prefix))
Dir.chdir(unpacked) { formula.install }
Dir.glob("**/*", base: prefix).sort.each { |path| puts path unless File.directory?(File.join(prefix, path)) }
