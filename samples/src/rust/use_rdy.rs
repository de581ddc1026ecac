fn main() { println!("{}", rdy::add(40, 2)); }
