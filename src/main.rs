use clap::Parser;

fn main() {
    let cli = techfund::cmd::Cli::parse();
    if let Err(e) = techfund::cmd::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
