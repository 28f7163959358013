print("controlgap")
