fn main() {
    vpr_app_lib::run()
}
