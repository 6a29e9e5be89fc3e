use clap::Parser;

fn main() {
    let cli = techfund::cmd::Cli::parse();
    match techfund::cmd::run(cli) {
        Ok(exit) => std::process::exit(exit.code()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
